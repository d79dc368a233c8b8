"""Billing worker: configuration loader generated from the schema by netra-verify. Do not edit.

Regenerate with:
    netra-verify codegen python --schema ./schema.ts#workerSchema --out <this file>

It reads, checks and reports exactly as @netra/config-schema does (the same issues: severity, code, key,
variable, message, hint; never a value), with the Python standard library only (3.9+):

    ok, config, issues = safe_load()          # os.environ, ENVIRONMENT
    config = load()                           # raises ConfigError (.issues) when invalid

Not checked in Python: nothing (every rule of the schema is translated).
"""

import hashlib
import json
import math
import os
import re
import sys
import unicodedata
from dataclasses import dataclass
from typing import Optional

__all__ = ["ConfigError", "NOT_CHECKED_IN_PYTHON", "format_issues", "load", "safe_load", "summarize_issues", "Config"]

NOT_CHECKED_IN_PYTHON = []

_ENVIRONMENTS = ["development", "test", "qa", "staging", "production"]
_ENVIRONMENT_ALIASES = {
    "dev": "development",
    "develop": "development",
    "local": "development",
    "testing": "test",
    "stage": "staging",
    "stg": "staging",
    "prod": "production",
    "prd": "production",
    "live": "production",
}

# ---------------------------------------------------------------------------------------------------------------------
# The loader: the same steps, in the same order, with the same messages as @netra/config-schema's safeLoadConfig.
# ---------------------------------------------------------------------------------------------------------------------

REDACTED = "[redacted]"

# ECMAScript's WhiteSpace and LineTerminator: what String.prototype.trim removes and \s matches.
_JS_SPACE = "\t\n\x0b\x0c\r \xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_FAILED = object()


class ConfigError(Exception):
    """The configuration is invalid. "issues" holds every error and warning; the message is the report.

    Never contains a secret value.
    """

    code = "CONFIG_INVALID"

    def __init__(self, issues, environment=None):
        where = " for " + environment if environment else ""
        super().__init__(
            "Invalid configuration" + where + ": " + summarize_issues(issues) + "\n\n" + format_issues(issues)
        )
        self.issues = issues
        self.environment = environment


def _trim(value):
    return value.strip(_JS_SPACE)


_PRINTABLE = re.compile(r"[\x21-\x7e]{1,60}\Z")


def _quoted(value):
    return _display_value(value) if _PRINTABLE.match(value) else None


# Messages never quote a credential: @netra/config-schema's credentials.ts, rule for rule.
_MASK = "****"
_SHAPES = (
    (
        "a PEM private key",
        re.compile(r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----"),
        re.compile(r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|\Z)"),
    ),
    ("a Google OAuth client secret (GOCSPX-\u2026)", re.compile(r"GOCSPX-[A-Za-z0-9_\-]{8,}\Z"), re.compile(r"GOCSPX-[A-Za-z0-9_\-]{8,}")),
    ("a Google API key (AIza\u2026)", re.compile(r"AIza[0-9A-Za-z_\-]{16,}\Z"), re.compile(r"AIza[0-9A-Za-z_\-]{16,}")),
    (
        "a live or test API key (sk_live_\u2026)",
        re.compile(r"(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{8,}\Z"),
        re.compile(r"(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{8,}"),
    ),
    (
        "a JWT",
        re.compile(r"eyJ[A-Za-z0-9_\-]{4,}\.eyJ[A-Za-z0-9_\-]{4,}\.[A-Za-z0-9_\-]*\Z"),
        re.compile(r"eyJ[A-Za-z0-9_\-]{4,}\.eyJ[A-Za-z0-9_\-]{4,}\.[A-Za-z0-9_\-]*"),
    ),
    (
        "an access token",
        re.compile(r"(?:ya29\.[0-9A-Za-z_\-]{16,}|gh[pousr]_[0-9A-Za-z]{20,}|xox[abprs]-[0-9A-Za-z\-]{10,}|AKIA[0-9A-Z]{16})\Z"),
        re.compile(r"ya29\.[0-9A-Za-z_\-]{16,}|gh[pousr]_[0-9A-Za-z]{20,}|xox[abprs]-[0-9A-Za-z\-]{10,}|AKIA[0-9A-Z]{16}"),
    ),
)
_TOKEN = re.compile(r"[A-Za-z0-9+/=_.~\-]+\Z")
_HEX = re.compile(r"[0-9a-fA-F]{32,}\Z")
_AT_TOKEN = re.compile(r"[^ \t\n\r\f\v'\"\x60()<>,]*@[^ \t\n\r\f\v'\"\x60()<>,]*")
_LEAD = re.compile(r"(?:[A-Za-z_][A-Za-z0-9_]*=)?(?:[A-Za-z][A-Za-z0-9+.\-]*:[\\/]+)?")
_HAS_SCHEME = re.compile(r"(?:[A-Za-z_][A-Za-z0-9_]*=)?[A-Za-z][A-Za-z0-9+.\-]*:[\\/]+\Z")
_SECRET_PARAMETER = re.compile(
    r"([?&;])((?:[A-Za-z0-9_.\-]*?)(?:pass(?:word)?|passwd|pwd|secret|token|api[\-_]?key|access[\-_]?key|auth|credentials?|sig(?:nature)?))=([^&;# \t\n\r\f\v'\"\x60]*)",
    re.IGNORECASE | re.ASCII,
)
_VALUE_PARAMETER = re.compile(r"((?:pass(?:word)?|pwd|secret|token)=)[^&; \t\n\r\f\v]*", re.IGNORECASE | re.ASCII)
_DISPLAY_PRINTABLE = re.compile(r"[\x20-\x7e]{1,60}\Z")


def _fingerprint(value):
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:8]


def _entropy(value):
    counts = {}
    for char in value:
        counts[char] = counts.get(char, 0) + 1
    bits = 0.0
    for count in counts.values():
        p = count / len(value)
        bits -= p * math.log2(p)
    return bits


def _looks_random(value):
    if len(value) < 20 or not _TOKEN.match(value):
        return False
    longest = ""
    for part in re.split(r"[.~\-]", value):
        if len(part) > len(longest):
            longest = part
    if len(longest) < 20:
        return False
    if _HEX.match(longest):
        return True
    classes = sum(1 for pattern in (r"[a-z]", r"[A-Z]", r"[0-9]") if re.search(pattern, longest))
    return classes == 3 and _entropy(longest) >= 3.5


def _credential_shape(value):
    trimmed = _trim(value)
    for label, whole, _ in _SHAPES:
        if whole.match(trimmed):
            return label
    return "a long random-looking value" if _looks_random(trimmed) else None


def _mask_userinfo(match):
    token = match.group(0)
    at = token.rfind("@")
    head = token[:at]
    lead = _LEAD.match(head).group(0)
    userinfo = head[len(lead):]
    if userinfo in ("", REDACTED, _MASK):
        return token
    colon = userinfo.find(":")
    if colon < 0:
        return lead + _MASK + token[at:] if _HAS_SCHEME.match(lead) else token
    if userinfo[colon + 1:] == _MASK:
        return token
    return lead + userinfo[:colon] + ":" + _MASK + token[at:]


def _mask_credentials(text):
    text = _AT_TOKEN.sub(_mask_userinfo, text)
    return _SECRET_PARAMETER.sub(lambda m: m.group(1) + m.group(2) + "=" + _MASK, text)


def _display_value(value):
    if not _DISPLAY_PRINTABLE.match(value):
        return None
    shape = _credential_shape(value)
    if shape:
        return shape + " (fingerprint " + _fingerprint(value) + ")"
    masked = _mask_credentials(value)
    parameter = _VALUE_PARAMETER.match(masked)
    if parameter:
        masked = parameter.group(1) + _MASK + masked[parameter.end():]
    return "'" + masked + "'"


def _redact_text(text, secrets=()):
    ordered = sorted((s for s in dict.fromkeys(secrets) if s != ""), key=lambda s: -_js_length(s))
    for secret in ordered:
        text = text.replace("'" + secret + "'", REDACTED).replace('"' + secret + '"', REDACTED)
        if _js_length(secret) >= 8:
            text = text.replace(secret, REDACTED)
    for label, _, anywhere in _SHAPES:
        text = anywhere.sub(lambda m, label=label: "[" + label + ", fingerprint " + _fingerprint(m.group(0)) + "]", text)
    return _mask_credentials(text)


def _redact_issues(issues, secrets=()):
    out = []
    for issue in issues:
        message = _redact_text(issue["message"], secrets)
        hint = _redact_text(issue["hint"], secrets)
        out.append(issue if message == issue["message"] and hint == issue["hint"] else dict(issue, message=message, hint=hint))
    return out


def _sensitive_values(compiled, env):
    values = []
    if compiled is None:
        return values
    for variable in compiled["variables"]:
        if not variable["sensitive"]:
            continue
        for name in [variable["name"]] + list(variable["otherNames"]):
            raw = env.get(name)
            if not isinstance(raw, str) or _trim(raw) == "":
                continue
            values.append(raw)
            if _trim(raw) != raw:
                values.append(_trim(raw))
    return values


def _list_words(words):
    if len(words) <= 1:
        return words[0] if words else ""
    return ", ".join(words[:-1]) + " and " + words[-1]


def summarize_issues(issues):
    """"2 errors, 1 warning" ("no problems" for none)."""
    errors = sum(1 for issue in issues if issue["severity"] == "error")
    warnings = len(issues) - errors
    if not issues:
        return "no problems"
    parts = []
    if errors:
        parts.append(str(errors) + " error" + ("" if errors == 1 else "s"))
    if warnings:
        parts.append(str(warnings) + " warning" + ("" if warnings == 1 else "s"))
    return ", ".join(parts)


_NAMED_CONTROLS = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_controls(text, keep_newlines=False):
    out = []
    for char in text:
        code = ord(char)
        if code <= 0x1F or 0x7F <= code <= 0x9F:
            if keep_newlines and char == "\n":
                out.append(char)
            else:
                out.append(_NAMED_CONTROLS.get(char, "\\x%02x" % code))
        else:
            out.append(char)
    return "".join(out)


def format_issues(issues):
    """The human report: issues grouped by variable, each with its code, message and hint, then a summary."""
    groups = {}
    for issue in issues:
        groups.setdefault(issue["variable"] or issue["key"] or "(general)", []).append(issue)
    lines = []
    for heading, group in groups.items():
        lines.append(_escape_controls(heading))
        for issue in group:
            label = "error  " if issue["severity"] == "error" else "warning"
            lines.append("  " + label + "  " + _escape_controls(issue["code"]) + "  " + _escape_controls(_redact_text(issue["message"]), True))
            if issue["hint"]:
                lines.append("           \u2192 " + _escape_controls(_redact_text(issue["hint"]), True))
        lines.append("")
    lines.append(summarize_issues(issues))
    return "\n".join(lines)


def _leven(first, second, limit):
    """Levenshtein distance, or "limit" when it is at least that (the only answer closest() needs)."""
    if first == second:
        return 0
    if len(first) > len(second):
        first, second = second, first
    if len(second) - len(first) >= limit:
        return limit
    previous = list(range(len(first) + 1))
    for row, char in enumerate(second, 1):
        current = [row]
        best = row
        for column, other in enumerate(first, 1):
            value = min(previous[column] + 1, current[column - 1] + 1, previous[column - 1] + (char != other))
            current.append(value)
            if value < best:
                best = value
        if best >= limit:
            return limit
        previous = current
    return min(previous[-1], limit)


def _units(text):
    """The UTF-16 code units of text: what JavaScript's lengths, slices, comparisons and edit distances count."""
    return memoryview(text.encode(_UTF16_NATIVE, "surrogatepass")).cast("H").tolist()


_UTF16_NATIVE = "utf-16-le" if sys.byteorder == "little" else "utf-16-be"


def _js_length(text):
    return len(text) if text.isascii() else len(_units(text))


def _closest(target, candidates):
    upper = unicodedata.normalize("NFKC", target).upper()
    upper_units = upper if upper.isascii() else _units(upper)
    max_distance = 1 if len(upper_units) <= 4 else 2 if len(upper_units) <= 15 else 3
    best = None
    best_distance = max_distance + 1
    for candidate in candidates:
        if abs(_js_length(candidate) - len(upper_units)) > max_distance:
            continue
        other = candidate.upper()
        if upper.isascii() and other.isascii():
            distance = _leven(upper, other, best_distance)
        else:
            distance = _leven(_units(upper), _units(other), best_distance)
        if distance < best_distance:
            best = candidate
            best_distance = distance
    return best


_SHOWN_ENVIRONMENT = re.compile(r"[A-Za-z0-9_.\-]{1,40}\Z")


def _parse_environment(value):
    if value in _ENVIRONMENTS:
        return value, None
    allowed = ", ".join(_ENVIRONMENTS)
    base = {"severity": "error", "code": "unknown-environment", "key": "environment", "variable": "ENVIRONMENT"}
    if value is None or value == "":
        return None, dict(
            base,
            message=(
                "ENVIRONMENT is set to an empty string, which counts as not set; expected one of " + allowed
                if value == ""
                else "ENVIRONMENT is not set; expected one of " + allowed
            ),
            hint="Set ENVIRONMENT to the environment this service runs in, e.g. ENVIRONMENT=" + _ENVIRONMENTS[0] + ".",
        )
    lower = _trim(value).lower()
    suggestion = lower if lower in _ENVIRONMENTS else _ENVIRONMENT_ALIASES.get(lower) or _closest(lower, _ENVIRONMENTS)
    shown = (_SHOWN_ENVIRONMENT.match(value) and _display_value(value)) or "a value"
    return None, dict(
        base,
        message="ENVIRONMENT is " + shown + ", which is not an environment; expected one of " + allowed,
        hint=(
            "Did you mean '" + suggestion + "'? Set ENVIRONMENT=" + suggestion + "."
            if suggestion
            else "Set ENVIRONMENT to one of " + allowed + "."
        ),
    )


def _issue(variable, code, message, hint, severity="error"):
    return {
        "severity": severity,
        "code": code,
        "key": variable["key"],
        "variable": variable["name"],
        "message": message,
        "hint": hint,
    }


def _scrubbed(message, hint, values):
    for value in values:
        if len(value) < 4:
            continue
        message = message.replace(value, REDACTED)
        hint = hint.replace(value, REDACTED)
    return message, hint


def _secrets_of(variable, raw, trimmed):
    if not variable["sensitive"]:
        return ()
    return (trimmed,) if raw == trimmed else (trimmed, raw)


def _describe_whitespace(raw):
    parts = []
    if raw[0] in _JS_SPACE:
        parts.append("leading whitespace")
    if raw.endswith("\n"):
        parts.append("a trailing newline")
    elif raw[-1] in _JS_SPACE:
        parts.append("trailing whitespace")
    return " and ".join(parts)


# --- value helpers -------------------------------------------------------------------------------------------------

_PORT = re.compile(r"([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])\Z")


_JS_DECIMAL = re.compile(r"[+-]?(?:Infinity|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)\Z")
_JS_RADIX = re.compile(r"0(?:([xX])[0-9a-fA-F]+|([oO])[0-7]+|([bB])[01]+)\Z")


def _js_number(text):
    """JavaScript's Number(text) of a string (what z.coerce.number() does first)."""
    text = _trim(text)
    if text == "":
        return 0.0
    if _JS_DECIMAL.match(text):
        if text.lstrip("+-") == "Infinity":
            return -math.inf if text[0] == "-" else math.inf
        return float(text)
    radix = _JS_RADIX.match(text)
    if radix:
        try:
            return float(int(text[2:], 16 if radix.group(1) else 8 if radix.group(2) else 2))
        except OverflowError:
            return math.inf
    return math.nan


def _zod_number(spec, text):
    """z.coerce.number() and its checks: (value, None), or (None, zod's message of the first failing check)."""
    number = _js_number(text)
    if math.isnan(number) or math.isinf(number):
        received = "NaN" if math.isnan(number) else "Infinity" if number > 0 else "-Infinity"
        return None, "Invalid input: expected number, received " + received
    integer = False
    for check in spec["checks"]:
        kind = check["check"]
        if kind == "int":
            integer = True
            if not number.is_integer():
                return None, "Invalid input: expected int, received number"
            if abs(number) > 9007199254740991:
                if number > 0:
                    return None, "Too big: expected int to be <=9007199254740991"
                return None, "Too small: expected int to be >=-9007199254740991"
        elif kind == "min":
            if not (number >= check["value"] if check["inclusive"] else number > check["value"]):
                return None, "Too small: expected number to be " + (">=" if check["inclusive"] else ">") + check["text"]
        elif not (number <= check["value"] if check["inclusive"] else number < check["value"]):
            return None, "Too big: expected number to be " + ("<=" if check["inclusive"] else "<") + check["text"]
    if integer or (number.is_integer() and abs(number) <= 9007199254740991):
        return int(number), None
    return number, None


def _parse(variable, value):
    spec = variable["value"]
    if spec is None:
        return value
    kind = spec["type"]
    if kind == "number":
        parsed, _ = _zod_number(spec, value)
        return _FAILED if parsed is None else parsed
    if kind == "text":
        return value
    if kind == "port":
        return int(value) if _PORT.match(value) else _FAILED
    if kind == "boolean":
        if value in spec["true"]:
            return True
        return False if value in spec["false"] else _FAILED
    if kind == "one-of":
        return value if value in spec["values"] else _FAILED
    return value if spec["regex"].search(value) else _FAILED


_NOT_LINE_END = "[^\n\r\u2028\u2029]"
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://([^/?#" + _JS_SPACE + r"]*)")
_HOST_AND_PORT = re.compile(r"\[?([^" + _JS_SPACE + r"\[\]]*?)\]?:([0-9]+)\Z")
_BRACKETED = re.compile(r"\[(" + _NOT_LINE_END + r"*)\]\Z")
_USER_PART = re.compile(r"\A" + _NOT_LINE_END + "*@")
_OPEN_BRACKET = re.compile(r"\[(" + _NOT_LINE_END + r"*)\]?\Z")


def _host_hint(variable, value):
    spec = variable["value"]
    name = variable["name"]
    regex = spec["regex"]
    port_variable = spec.get("portVariable")

    def port_hint(port=None):
        if not port_variable:
            return "a host variable holds no port"
        return "put the port in " + port_variable + (" (" + port_variable + "=" + port + ")" if port else "") + ", not in " + name

    scheme = _SCHEME.match(value)
    if scheme:
        rest = scheme.group(1)
        with_port = _HOST_AND_PORT.match(rest)
        if with_port:
            bare, port = with_port.group(1), with_port.group(2)
        else:
            bracketed = _BRACKETED.match(rest)
            bare, port = (bracketed.group(1) if bracketed else rest), None
        host_part = _USER_PART.sub("", bare, count=1)
        if regex.search(host_part):
            return (
                "Set " + name + "=" + host_part + ": no scheme (" + value[: value.index("://") + 3] + ")"
                + ("; " + port_hint(port) if port else "") + "."
            )
        return "Set " + name + " to " + spec["expectation"] + ", without a scheme; " + port_hint() + "."
    with_port = _HOST_AND_PORT.match(value)
    if with_port and regex.search(with_port.group(1)):
        return "Set " + name + "=" + with_port.group(1) + " and " + port_hint(with_port.group(2)) + "."
    bracket = _OPEN_BRACKET.match(value)
    if bracket:
        unbracketed = bracket.group(1)
        if unbracketed.endswith("]"):
            unbracketed = unbracketed[:-1]
        if regex.search(unbracketed):
            return "Set " + name + "=" + unbracketed + ": an IPv6 address goes without brackets; " + port_hint() + "."
    return None


def _invalid_value(variable, raw, trimmed):
    name = variable["name"]
    sensitive = variable["sensitive"]
    shown = None if sensitive else _quoted(trimmed)
    expectation = variable["expectation"]
    if expectation is None:
        # No expectation: zod's own wording of the first failing check (only coerced numbers get here).
        _, reason = _zod_number(variable["value"], trimmed)
        reason = ": " + reason[0].lower() + reason[1:]
        message = (name + " is " + shown + ", which is invalid" + reason) if shown else (name + " is not valid" + reason)
        if variable.get("example") is not None:
            hint = "Set " + name + " to a valid value, e.g. " + name + "=" + variable["example"]
        else:
            hint = "Set " + name + " to a valid value (see the schema\u2019s documentation of " + name + ")."
        message, hint = _scrubbed(message, hint, _secrets_of(variable, raw, trimmed))
        return "invalid", message, hint
    lower = trimmed.lower()
    case_only = not sensitive and lower != trimmed and _parse(variable, lower) is not _FAILED
    known = None
    if not sensitive and variable["value"]["type"] == "host":
        known = _host_hint(variable, trimmed)
    message = (name + " is " + shown + "; expected " + expectation) if shown else (name + " is not " + expectation)
    if case_only:
        hint = "Values are case-sensitive: set " + name + "=" + lower + "."
    elif known:
        hint = known
    elif variable.get("example") is not None:
        hint = "Set " + name + " to " + expectation + ", e.g. " + name + "=" + variable["example"]
    else:
        hint = "Set " + name + " to " + expectation + "."
    return "invalid", message, hint


# --- policies ------------------------------------------------------------------------------------------------------


def _obtain_hint(variable, environment):
    secret = variable["secret"]["secret"] if variable.get("secret") else None
    obtain = variable.get("obtain")
    if obtain and "generate" in obtain:
        if secret:
            return (
                "Generate a new value and store it as a new version of " + secret + ": " + obtain["generate"]
                + " | tr -d '\\n' | gcloud secrets versions add " + secret + " --data-file=-"
            )
        return "Generate a new value (" + obtain["generate"] + ") and set " + variable["name"] + " to it."
    if secret:
        store = "store it as a new version of " + secret + ": printf '%s' \"$VALUE\" | gcloud secrets versions add " + secret + " --data-file=-"
    else:
        store = "set " + variable["name"] + " to it."
    if obtain:
        return "Copy the real value from " + obtain["copyFrom"] + " and " + store
    return "Take the real " + environment + " value of " + variable["name"] + " and " + store


def _client_json_kind(value):
    def refuse(constant):
        raise ValueError(constant)

    try:
        parsed = json.loads(value, parse_constant=refuse)
    except (ValueError, RecursionError):
        return None
    if isinstance(parsed, dict):
        if "web" in parsed:
            return "web"
        if "installed" in parsed:
            return "installed"
    return None


def _check_policy(policy, variable, value, environment):
    """A built-in policy: "(code, message, hint)" when the value fails, else None."""
    kind = policy["policy"]
    name = variable["name"]
    if kind == "not-loopback":
        if not policy["regex"].search(value):
            return None
        url = policy["url"]
        where = "points at a loopback host" if url else "is a loopback address (" + value + ")"
        hint = (
            "Set " + name + " to the public https URL of the " + environment + " deployment."
            if url
            else "Set " + name + " to the " + environment + " server's private IP or host name (for Cloud SQL: /cloudsql/PROJECT:REGION:INSTANCE)."
        )
        return "loopback-host", name + " " + where + "; in " + environment + " nothing listens there", hint
    if kind == "https-url":
        if policy["regex"].search(value):
            return None
        return (
            "invalid",
            name + " is not an https URL; " + environment + " serves only https",
            "Use the https:// URL of the " + environment + " deployment.",
        )
    if kind == "no-placeholder":
        is_default = value in variable["developmentDefaults"]
        if not is_default and not policy["regex"].search(value):
            return None
        message = (
            name + " is the development default, which is public" if is_default else name + " is a placeholder, not a real value"
        )
        hint = _obtain_hint(variable, environment) if variable["sensitive"] else "Set " + name + " to the real " + environment + " value."
        return "placeholder", message, hint
    if kind == "min-strength":
        min_length = policy["minLength"]
        issued = _obtain_hint(variable, environment) if variable.get("obtain") and "copyFrom" in variable["obtain"] else None
        generate = "openssl rand -base64 " + str(-(-(min_length * 3) // 4) + 3)
        if len(value) < min_length:
            return (
                "weak-secret",
                name + " is " + str(len(value)) + " characters long; " + environment + " needs at least " + str(min_length),
                issued or "Generate one: " + generate + " and store it in " + name + "'s secret.",
            )
        if policy["regex"].search(value):
            return (
                "weak-secret",
                name + " is guessable (a repeated pattern, only digits, or a common word)",
                issued or "Generate a random value: " + generate + ".",
            )
        return None
    if kind == "base64url-bytes":
        if policy["regex"].search(value):
            return None
        size = policy["bytes"]
        length = 4 * -(-size // 3)
        generate = policy["command"]
        if "+" in value or "/" in value:
            return (
                "invalid",
                name + " uses the standard base64 alphabet (+ or /); it must be url-safe base64",
                "Replace + with - and / with _ (the bytes stay the same), or generate a new key: " + generate,
            )
        if not _BASE64URL_CHARS.match(value):
            return (
                "invalid",
                name + " contains characters outside url-safe base64 (A-Z a-z 0-9 - _ =)",
                "Generate a key: " + generate,
            )
        decoded = (len(value.rstrip("=")) * 3) // 4
        if decoded == size and len(value) != length:
            return (
                "invalid",
                name + " is missing its '=' padding (" + str(len(value)) + " characters, expected " + str(length) + ")",
                "Append " + "=" * (length - len(value)) + " or generate a key: " + generate,
            )
        return (
            "invalid",
            name + " decodes to " + str(decoded) + " bytes; expected exactly " + str(size) + " (" + str(length) + " characters)",
            "Generate a key: " + generate,
        )
    if kind == "not-json-document":
        if not value.startswith("{"):
            return None
        field_name = policy["field"]
        json_kind = _client_json_kind(value)
        reference = name + "=sm://PROJECT/SECRET?field=web." + field_name
        if json_kind == "installed":
            return (
                "invalid",
                name + ' holds a whole Google client_secret.json of an "installed" (Desktop app) OAuth client; a web backend needs a "Web application" client',
                'Create a "Web application" OAuth client (Google Cloud console \u2192 APIs & Services \u2192 Credentials \u2192 Create credentials \u2192 OAuth client ID \u2192 Application type "Web application"), store its client_secret.json in Secret Manager and set '
                + reference + ", or store its " + field_name + " alone in its own secret.",
            )
        return (
            "invalid",
            name + ' holds a whole Google client_secret.json (a "web" client), not the ' + field_name
            if json_kind
            else name + " holds a JSON document, not a single value",
            "Set " + reference + " to take the one field from the JSON secret, or store the " + field_name + " alone in its own secret.",
        )
    return None


_BASE64URL_CHARS = re.compile(r"[A-Za-z0-9_=\-]*\Z")


def _run_rule(variable, rule, value, issues, environment):
    try:
        return _check_policy(rule["check"], variable, value, environment)
    except Exception as error:  # a failure of this module must be an issue, never a crash that prints the value
        issues.append(
            _issue(
                variable,
                "invalid",
                variable["name"] + " could not be checked: rule " + rule["id"] + " threw " + type(error).__name__
                + " (its message is not shown: it may quote the value)",
                "Fix rule " + rule["id"] + " in the schema definition: it must return a failure for a bad value, not throw.",
            )
        )
        return None


_MAX_VALUE_BYTES = 64 * 1024


def _check_value(variable, raw, issues, environment):
    if _js_length(raw) > _MAX_VALUE_BYTES // 3:
        size = len(raw.encode("utf-8", "surrogatepass"))
        if size > _MAX_VALUE_BYTES:
            name = variable["name"]
            issues.append(
                _issue(
                    variable,
                    "invalid",
                    name + " is longer than 64 KiB (" + str(size) + " bytes); no setting is that long",
                    "Set " + name + " to its real value (a secret larger than 64 KiB cannot be stored in Secret Manager either).",
                )
            )
            return _FAILED
    before = len(issues)
    trimmed = _trim(raw)
    name = variable["name"]
    if trimmed != raw:
        if trimmed == "":
            message = name + " contains only whitespace"
        else:
            message = name + " has " + _describe_whitespace(raw) + (
                " (what \x60gcloud secrets create --data-file\x60 stores for an echo'ed file)" if raw.endswith("\n") else ""
            )
        secret = variable.get("secret")
        hint = (
            "Add a version without it: printf '%s' \"$VALUE\" | gcloud secrets versions add " + secret["secret"] + " --data-file=-"
            if secret
            else "Remove the whitespace around " + name + "'s value."
        )
        issues.append(_issue(variable, "whitespace", message, hint))
        if trimmed == "":
            return _FAILED
    for rule in variable["exclusiveRules"]:
        count = len(issues)
        failure = _run_rule(variable, rule, trimmed, issues, environment)
        if len(issues) > count:
            return _FAILED
        if failure:
            code, message, hint = failure
            message, hint = _scrubbed(message, hint, _secrets_of(variable, raw, trimmed))
            issues.append(_issue(variable, code, message, hint, rule["severity"]))
            return _FAILED
    parsed = _parse(variable, trimmed)
    if parsed is _FAILED:
        issues.append(_issue(variable, *_invalid_value(variable, raw, trimmed)))
        return _FAILED
    for rule in variable["otherRules"]:
        failure = _run_rule(variable, rule, trimmed, issues, environment)
        if failure:
            code, message, hint = failure
            message, hint = _scrubbed(message, hint, _secrets_of(variable, raw, trimmed))
            issues.append(_issue(variable, code, message, hint, rule["severity"]))
    for index in range(before, len(issues)):
        if issues[index]["severity"] == "error":
            return _FAILED
    return parsed


# --- cross-variable rules of the fragments -------------------------------------------------------------------------


def _check_cross(check, values, variable_of):
    """A fragment's cross-variable rule: "(key, code, message, hint)" when it fails, else None."""
    kind = check["builtin"]
    if kind == "password-not-user":
        password, user = values.get("password"), values.get("user")
        if isinstance(password, str) and isinstance(user, str) and user.lower() in password.lower():
            return (
                "password",
                "weak-secret",
                variable_of("password") + " contains the user name (" + variable_of("user") + ")",
                "Generate a random password: openssl rand -base64 24, and store it in " + variable_of("password") + "'s secret.",
            )
        return None
    if kind == "ssl-over-network":
        host = values.get("host")
        if values.get("sslMode") == "disable" and isinstance(host, str) and not host.startswith(check["socketPrefix"]):
            return (
                "sslMode",
                "invalid",
                variable_of("sslMode") + " is disable while " + variable_of("host") + " is a network host: the connection is not encrypted",
                "Set " + variable_of("sslMode") + "=require (or connect through a /cloudsql/ socket).",
            )
        return None
    if kind == "oauth-client-pair":
        has_id = values.get("clientId") is not None
        has_secret = values.get("clientSecret") is not None
        if has_id == has_secret:
            return None
        missing = "clientSecret" if has_id else "clientId"
        present = "clientId" if has_id else "clientSecret"
        return (
            missing,
            "missing",
            variable_of(present) + " is set but " + variable_of(missing) + " is not; OAuth needs both",
            "Set " + variable_of(missing) + " too, or unset " + variable_of(present) + " to disable Google sign-in.",
        )
    return None


# --- unknown names -------------------------------------------------------------------------------------------------


def _truncate_name(name):
    if _js_length(name) > 64:
        # JavaScript's slice(0, 61) counts UTF-16 code units (and may cut a pair, as it does there).
        shortened = name.encode("utf-16-le", "surrogatepass")[:122].decode("utf-16-le", "surrogatepass") + "\u2026"
    else:
        shortened = name
    return "".join(
        "\\u{%x}" % ord(char) if char != " " and unicodedata.category(char) in _INVISIBLE else char
        for char in _escape_controls(shortened)
    )


_INVISIBLE = ("Cf", "Zs", "Zl", "Zp")


def _resemblance(name, suggestion):
    if unicodedata.normalize("NFKC", name) != name or any(unicodedata.category(char) in _INVISIBLE for char in name):
        return " (the name contains invisible or look-alike characters)"
    return " (names are case-sensitive)" if name.upper() == suggestion else ""


def _classify_unknown(compiled, name):
    cache = compiled["verdicts"]
    if name in cache:
        return cache[name]
    suggestion = None
    own = _closest(name, compiled["byName"].keys())
    if own:
        suggestion = compiled["byName"][own]
    else:
        other = _closest(name, compiled["allNames"])
        if other:
            suggestion = next((v for v in compiled["variables"] if other in v["otherNames"]), None)
    verdict = None
    if suggestion:
        verdict = ("suggestion", suggestion)
    else:
        prefix = next((p for p in compiled["prefixes"] if name.startswith(p)), None)
        if prefix:
            verdict = ("prefix", prefix)
    if len(cache) < 1024:
        cache[name] = verdict
    return verdict


def _missing_hint(variable):
    secret = variable.get("secret")
    name = variable["name"]
    if secret:
        return (
            "Bind it to its secret: --set-secrets=" + name + "=" + secret["secret"] + ":" + secret["version"]
            + " (or set " + name + "=sm://PROJECT/" + secret["secret"] + ")."
        )
    example = variable.get("example")
    return "Set " + name + ", e.g. " + name + "=" + example if example is not None else "Set " + name + "."


def _siblings_hint(prefix, siblings, environment):
    if not siblings:
        return "No " + prefix + "\u2026 setting is read in " + environment + "; remove it."
    if len(siblings) == 1:
        return "The only " + prefix + "\u2026 setting is " + siblings[0] + "."
    return "The " + prefix + "\u2026 settings are " + _list_words(siblings) + "."


def _collect(compiled, env):
    environment = compiled["environment"]
    variables = compiled["variables"]
    issues = []
    tail = []
    values = [None] * len(variables)
    valid = [False] * len(variables)

    def get(name):
        value = env.get(name)
        return value if isinstance(value, str) else None

    def is_set(name):
        value = get(name)
        return value is not None and value != ""

    misspelled_for = {}
    known = compiled["knownNames"]
    reported = []
    for name in env.keys():
        if not isinstance(name, str) or name in known or _js_length(name) > 200 or get(name) is None:
            continue
        verdict = _classify_unknown(compiled, name)
        if verdict:
            reported.append((name, verdict))
    reported.sort(key=lambda item: item[0].encode("utf-16-be", "surrogatepass"))
    for name, (kind, detail) in reported:
        shown_name = _truncate_name(name)
        if kind == "suggestion":
            misspelled_for.setdefault(detail["name"], name)
            tail.append(
                {
                    "severity": "warning",
                    "code": "unknown-variable",
                    "key": "",
                    "variable": name,
                    "message": shown_name + " is not a setting of this schema; did you mean " + detail["name"] + "?",
                    "hint": "Rename " + shown_name + " to " + detail["name"] + _resemblance(name, detail["name"]) + ".",
                }
            )
            continue
        siblings = [v["name"] for v in variables if v["name"].startswith(detail)]
        tail.append(
            {
                "severity": "warning",
                "code": "unknown-variable",
                "key": "",
                "variable": name,
                "message": shown_name + " is not a setting of this schema and is ignored",
                "hint": _siblings_hint(detail, siblings, environment),
            }
        )

    for variable in variables:
        index = variable["index"]
        name = variable["name"]
        raw = get(name)
        if variable["isEnvironment"]:
            if raw is not None and raw != "" and raw != environment:
                issues.append(
                    _issue(
                        variable,
                        "invalid",
                        name + " is " + (_quoted(raw) or "a different value") + ", but this configuration is being checked for " + environment,
                        "Set " + name + "=" + environment + ", or check the configuration of the environment it names.",
                    )
                )
            values[index] = environment
            continue
        set_elsewhere = [other for other in variable["foreignNames"] if is_set(other)]
        if raw is None or raw == "":
            fallback = variable.get("default")
            if fallback is not None:
                dynamic = fallback.get("dynamic")
                if dynamic:
                    lookup = get(dynamic["variable"]) or None
                    text = dynamic["matched"] if lookup is not None and lookup.startswith(dynamic["startsWith"]) else dynamic["otherwise"]
                else:
                    text = fallback["value"]
                parsed = _parse(variable, text)
                if parsed is not _FAILED:
                    values[index] = parsed
                    valid[index] = True
                else:
                    issues.append(
                        _issue(
                            variable,
                            "invalid",
                            name + "'s default in " + environment + " does not pass its own schema",
                            "Fix the schema definition.",
                        )
                    )
            elif variable["required"]:
                if set_elsewhere:
                    other = set_elsewhere[0]
                    secret = variable.get("secret")
                    issues.append(
                        _issue(
                            variable,
                            "wrong-name",
                            other + " is set, but " + environment + " reads " + name,
                            "Rename " + other + " to " + name
                            + (" (--set-secrets=" + name + "=" + secret["secret"] + ":" + secret["version"] + ")" if secret else "")
                            + ".",
                        )
                    )
                else:
                    misspelled = misspelled_for.get(name)
                    issues.append(
                        _issue(
                            variable,
                            "missing",
                            name + " is set to an empty string, which counts as not set; " + environment + " requires it"
                            if raw == ""
                            else name + " is not set; " + environment + " requires it",
                            _truncate_name(misspelled) + " is set: did you mean " + name + "? Rename it."
                            if misspelled
                            else _missing_hint(variable),
                        )
                    )
            else:
                valid[index] = True
            if variable.get("default") is not None or not variable["required"]:
                for other in set_elsewhere:
                    issues.append(
                        _issue(
                            variable,
                            "wrong-name",
                            other + " is set, but " + environment + " reads " + name + "; " + other + " is ignored",
                            "Rename " + other + " to " + name + ", or remove it.",
                            "warning",
                        )
                    )
            continue
        for other in set_elsewhere:
            issues.append(
                _issue(
                    variable,
                    "wrong-name",
                    other + " is set, but " + environment + " reads " + name + "; " + other + " is ignored",
                    "Remove " + other + ".",
                    "warning",
                )
            )
        checked = _check_value(variable, raw, issues, environment)
        if checked is not _FAILED:
            values[index] = checked
            valid[index] = True

    by_key = compiled["byKey"]
    for rule in compiled["crossRules"]:
        slots = rule["slots"]
        if not all(index >= 0 and valid[index] for _, index in slots):
            continue
        full_keys = rule["fullKeys"]

        def full_key(key, full_keys=full_keys, group=rule["groupPath"]):
            return full_keys.get(key) or ".".join(group + [key])

        def variable_of(key):
            target = by_key.get(full_key(key))
            return target["name"] if target else full_key(key)

        failure = _check_cross(rule["check"], {key: values[index] for key, index in slots}, variable_of)
        if not failure:
            continue
        key, code, message, hint = failure
        secrets = [values[index] for _, index in slots if variables[index]["sensitive"] and isinstance(values[index], str)]
        message, hint = _scrubbed(message, hint, secrets)
        target = by_key.get(full_key(key))
        issues.append(
            {
                "severity": rule["severity"],
                "code": code,
                "key": full_key(key),
                "variable": target["name"] if target else "",
                "message": message,
                "hint": hint,
            }
        )

    for entry in compiled["notAllowed"]:
        name = entry["name"]
        if not is_set(name):
            continue
        issues.append(
            {
                "severity": "error",
                "code": "not-allowed",
                "key": entry["key"],
                "variable": name,
                "message": name + " is set, but " + entry["key"] + " exists only in " + _list_words(entry["allowedIn"]) + "; " + environment + " must not set it",
                "hint": "Remove " + name + " from the " + environment + " configuration.",
            }
        )
    issues.extend(tail)
    return issues, values


def _build(node_class, children, values):
    kwargs = {}
    for attribute, child in children:
        if isinstance(child, tuple):
            kwargs[attribute] = _build(child[0], child[1], values)
        else:
            kwargs[attribute] = values.get(child)
    return node_class(**kwargs)


def _redacted_repr(instance, sensitive):
    parts = []
    for attribute in instance.__dataclass_fields__:
        value = getattr(instance, attribute)
        parts.append(attribute + "=" + (REDACTED if attribute in sensitive and value is not None else repr(value)))
    return type(instance).__name__ + "(" + ", ".join(parts) + ")"


def safe_load(environ=None, environment=None):
    """Validates the variables against the schema: "(ok, config, issues)".

    "environ" defaults to "os.environ"; "environment" to "environ["ENVIRONMENT"]". "ok" is False when any
    issue is an error, and "config" is then None; "issues" holds every error and warning (dicts with
    "severity, code, key, variable, message, hint"). Never raises for bad input and never includes a value.
    """
    env = os.environ if environ is None else environ
    if environment is None:
        value = env.get("ENVIRONMENT")
        environment = value if isinstance(value, str) else None
    parsed, problem = _parse_environment(environment)
    if problem:
        return False, None, _redact_issues([problem], _sensitive_values(next(iter(_COMPILED.values()), None), env))
    compiled = _COMPILED[parsed]
    issues, values = _collect(compiled, env)
    if issues:
        issues = _redact_issues(issues, _sensitive_values(compiled, env))
    if any(issue["severity"] == "error" for issue in issues):
        return False, None, issues
    by_key = {variable["key"]: values[variable["index"]] for variable in compiled["variables"]}
    return True, _build(_ROOT[0], _ROOT[1], by_key), issues


def load(environ=None, environment=None):
    """Like safe_load(), but returns the config or raises ConfigError with every issue."""
    ok, config, issues = safe_load(environ, environment)
    if not ok:
        env = os.environ if environ is None else environ
        name = environment if environment is not None else env.get("ENVIRONMENT")
        raise ConfigError(issues, name if name in _ENVIRONMENTS else None)
    return config


def _compile(environment, data):
    variables = data["variables"]
    for index, variable in enumerate(variables):
        variable["index"] = index
        spec = variable["value"]
        if spec is not None and spec["type"] in ("pattern", "host"):
            spec["regex"] = re.compile(_PATTERNS[spec["python"]])
        for rule in variable["rules"]:
            if "python" in rule["check"]:
                rule["check"]["regex"] = re.compile(_PATTERNS[rule["check"]["python"]])
        variable["exclusiveRules"] = [rule for rule in variable["rules"] if rule["exclusive"]]
        variable["otherRules"] = [rule for rule in variable["rules"] if not rule["exclusive"]]
    by_key = {variable["key"]: variable for variable in variables}
    for rule in data["crossRules"]:
        rule["fullKeys"] = dict(rule["keys"])
        rule["slots"] = [(key, by_key[full]["index"] if full in by_key else -1) for key, full in rule["keys"]]
    data["environment"] = environment
    data["byName"] = {variable["name"]: variable for variable in variables}
    data["byKey"] = by_key
    data["knownNames"] = frozenset(data["allNames"])
    data["verdicts"] = {}
    return data


@dataclass(frozen=True, repr=False)
class BillingDbConfig:
    """The settings of 'billingDb'. Sensitive fields print as [redacted]."""

    host: str
    port: int
    name: str
    user: str
    password: Optional[str]
    ssl_mode: str

    def __repr__(self):
        return _redacted_repr(self, ["password"])

    __str__ = __repr__


BillingDbConfig_TREE = (BillingDbConfig, [("host", "billingDb.host"), ("port", "billingDb.port"), ("name", "billingDb.name"), ("user", "billingDb.user"), ("password", "billingDb.password"), ("ssl_mode", "billingDb.sslMode")])


@dataclass(frozen=True, repr=False)
class Config:
    """the Billing worker configuration (frozen). Sensitive fields print as [redacted]."""

    environment: str
    billing_db: BillingDbConfig
    payments_api_key: Optional[str]
    batch_size: int
    log_level: str

    def __repr__(self):
        return _redacted_repr(self, ["payments_api_key"])

    __str__ = __repr__


Config_TREE = (Config, [("environment", "environment"), ("billing_db", BillingDbConfig_TREE), ("payments_api_key", "paymentsApiKey"), ("batch_size", "batchSize"), ("log_level", "logLevel")])


_ROOT = Config_TREE

_PATTERNS = [
    "^(/cloudsql/((?:[A-Za-z0-9._-]+:)?[A-Za-z0-9._-]+:[A-Za-z0-9-]+:[A-Za-z0-9-]+)|(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}|(([0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}|([0-9A-Fa-f]{1,4}:){6}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}|::([0-9A-Fa-f]{1,4}(:[0-9A-Fa-f]{1,4}){0,6})?|::([0-9A-Fa-f]{1,4}:){0,5}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}|[0-9A-Fa-f]{1,4}(:[0-9A-Fa-f]{1,4}){0}::([0-9A-Fa-f]{1,4}(:[0-9A-Fa-f]{1,4}){0,5})?|[0-9A-Fa-f]{1,4}(:[0-9A-Fa-f]{1,4}){0}::([0-9A-Fa-f]{1,4}:){0,4}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}|[0-9A-Fa-f]{1,4}(:[0-9A-Fa-f]{1,4}){1}::([0-9A-Fa-f]{1,4}(:[0-9A-Fa-f]{1,4}){0,4})?|[0-9A-Fa-f]{1,4}(:[0-9A-Fa-f]{1,4}){1}::([0-9A-Fa-f]{1,4}:){0,3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}|[0-9A-Fa-f]{1,4}(:[0-9A-Fa-f]{1,4}){2}::([0-9A-Fa-f]{1,4}(:[0-9A-Fa-f]{1,4}){0,3})?|[0-9A-Fa-f]{1,4}(:[0-9A-Fa-f]{1,4}){2}::([0-9A-Fa-f]{1,4}:){0,2}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}|[0-9A-Fa-f]{1,4}(:[0-9A-Fa-f]{1,4}){3}::([0-9A-Fa-f]{1,4}(:[0-9A-Fa-f]{1,4}){0,2})?|[0-9A-Fa-f]{1,4}(:[0-9A-Fa-f]{1,4}){3}::([0-9A-Fa-f]{1,4}:){0,1}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}|[0-9A-Fa-f]{1,4}(:[0-9A-Fa-f]{1,4}){4}::([0-9A-Fa-f]{1,4}(:[0-9A-Fa-f]{1,4}){0,1})?|[0-9A-Fa-f]{1,4}(:[0-9A-Fa-f]{1,4}){4}::([0-9A-Fa-f]{1,4}:){0,0}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}|[0-9A-Fa-f]{1,4}(:[0-9A-Fa-f]{1,4}){5}::([0-9A-Fa-f]{1,4}(:[0-9A-Fa-f]{1,4}){0,0})?|[0-9A-Fa-f]{1,4}(:[0-9A-Fa-f]{1,4}){6}::)|(?![0-9.]+\\Z)[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(\\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\\.?)\\Z",
    "^([lL][oO][cC][aA][lL][hH][oO][sS][tT]\\.?|[^/\\t\\n\\x0b\\x0c\\r \\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]*\\.[lL][oO][cC][aA][lL][hH][oO][sS][tT]\\.?|127\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}|0\\.0\\.0\\.0|0|::1?|\\[::1?\\]|\\[?0{1,4}(:0{1,4}){6}:0{0,3}1\\]?|[iI][pP][66][--][lL][oO][cC][aA][lL][hH][oO][sS][tT]|[iI][pP][66][--][lL][oO][oO][pP][bB][aA][cC][kK])\\Z",
    "^([\\s\\S]{1,8})(?:\\1)+\\Z|^[0-9]+\\Z|^([pP][aA][sS][sS][wW][oO][rR][dD]|[pP][aA][sS][sS][wW]0[rR][dD]|[qQ][wW][eE][rR][tT][yY]|[lL][eE][tT][mM][eE][iI][nN]|[aA][dD][mM][iI][nN]|[wW][eE][lL][cC][oO][mM][eE]|[iI][lL][oO][vV][eE][yY][oO][uU]|[pP][oO][sS][tT][gG][rR][eE][sS]|[rR][eE][dD][iI][sS]|[sS][eE][cC][rR][eE][tT]|[cC][hH][aA][nN][gG][eE][mM][eE]|[aA][bB][cC])+[0-9!@#$%.]*\\Z",
    "^([cC][hH][aA][nN][gG][eE][mM][eE]|[cC][hH][aA][nN][gG][eE]-[mM][eE]|[cC][hH][aA][nN][gG][eE]_[mM][eE]|[rR][eE][pP][lL][aA][cC][eE][mM][eE]|[rR][eE][pP][lL][aA][cC][eE]-[mM][eE]|[rR][eE][pP][lL][aA][cC][eE]_[mM][eE]|[sS][eE][cC][rR][eE][tT]|[pP][aA][sS][sS][wW][oO][rR][dD]|[pP][aA][sS][sS][wW]0[rR][dD]|[dD][eE][fF][aA][uU][lL][tT]|[dD][eE][vV]|[dD][eE][vV][eE][lL][oO][pP][mM][eE][nN][tT]|[tT][eE][sS][tT]|[tT][eE][sS][tT][iI][nN][gG]|[eE][xX][aA][mM][pP][lL][eE]|[pP][lL][aA][cC][eE][hH][oO][lL][dD][eE][rR]|[dD][uU][mM][mM][yY]|[fF][aA][kK][eE]|[tT][oO][dD][oO]|[tT][bB][dD]|[xX][xX][xX]|[nN][oO][nN][eE]|[nN][uU][lL][lL]|[uU][nN][dD][eE][fF][iI][nN][eE][dD]|[aA][dD][mM][iI][nN]|[pP][oO][sS][tT][gG][rR][eE][sS]|[rR][eE][dD][iI][sS]|123456)\\Z|^<[\\s\\S]*>\\Z|^\\$\\{[\\s\\S]*\\}\\Z|^\\{\\{[\\s\\S]*\\}\\}\\Z|^[yY][oO][uU][rR][-_]|[cC][hH][aA][nN][gG][eE][mM][eE]|[cC][hH][aA][nN][gG][eE]-[mM][eE]|[cC][hH][aA][nN][gG][eE]_[mM][eE]|[rR][eE][pP][lL][aA][cC][eE]-[mM][eE]|[rR][eE][pP][lL][aA][cC][eE]_[mM][eE]",
]

_COMPILED = {environment: _compile(environment, data) for environment, data in {
    "development": {
        "variables": [
            {
                "key": "environment",
                "name": "ENVIRONMENT",
                "otherNames": [],
                "foreignNames": [],
                "required": True,
                "sensitive": False,
                "isEnvironment": True,
                "value": {"type": "one-of", "values": ["development", "test", "qa", "staging", "production"]},
                "rules": [],
                "developmentDefaults": [],
                "example": "staging",
                "expectation": "one of development, test, qa, staging, production",
            },
            {
                "key": "billingDb.host",
                "name": "BILLING_DB_HOST",
                "otherNames": [],
                "foreignNames": [],
                "required": False,
                "sensitive": False,
                "isEnvironment": False,
                "value": {
                    "type": "host",
                    "cloudSql": True,
                    "expectation": "a host name, an IP address or /cloudsql/PROJECT:REGION:INSTANCE (no port, scheme or brackets)",
                    "portVariable": "BILLING_DB_PORT",
                    "python": 0,
                },
                "rules": [],
                "developmentDefaults": ["127.0.0.1"],
                "example": "/cloudsql/netra-staging:europe-west1:netra-db",
                "expectation": "a host name, an IP address or /cloudsql/PROJECT:REGION:INSTANCE (no port, scheme or brackets)",
                "default": {"value": "127.0.0.1"},
            },
            {
                "key": "billingDb.port",
                "name": "BILLING_DB_PORT",
                "otherNames": [],
                "foreignNames": [],
                "required": False,
                "sensitive": False,
                "isEnvironment": False,
                "value": {"type": "port"},
                "rules": [],
                "developmentDefaults": ["5432"],
                "example": "5432",
                "expectation": "an integer from 1 to 65535",
                "default": {"value": "5432"},
            },
            {
                "key": "billingDb.name",
                "name": "BILLING_DB_NAME",
                "otherNames": [],
                "foreignNames": [],
                "required": False,
                "sensitive": False,
                "isEnvironment": False,
                "value": {"type": "text"},
                "rules": [],
                "developmentDefaults": ["postgres"],
                "example": "netra",
                "expectation": "a string",
                "default": {"value": "postgres"},
            },
            {
                "key": "billingDb.user",
                "name": "BILLING_DB_USER",
                "otherNames": [],
                "foreignNames": [],
                "required": False,
                "sensitive": False,
                "isEnvironment": False,
                "value": {"type": "text"},
                "rules": [],
                "developmentDefaults": ["postgres"],
                "example": "netra_app",
                "expectation": "a string",
                "default": {"value": "postgres"},
            },
            {
                "key": "billingDb.password",
                "name": "BILLING_DB_PASSWORD",
                "otherNames": [],
                "foreignNames": [],
                "required": False,
                "sensitive": True,
                "isEnvironment": False,
                "value": {"type": "text"},
                "rules": [],
                "developmentDefaults": [],
                "expectation": "a string",
                "obtain": {"generate": "openssl rand -base64 24"},
            },
            {
                "key": "billingDb.sslMode",
                "name": "BILLING_DB_SSL_MODE",
                "otherNames": [],
                "foreignNames": [],
                "required": False,
                "sensitive": False,
                "isEnvironment": False,
                "value": {"type": "one-of", "values": ["disable", "require", "verify-full"]},
                "rules": [],
                "developmentDefaults": ["disable"],
                "example": "require",
                "expectation": "one of disable, require, verify-full",
                "default": {"value": "disable"},
            },
            {
                "key": "paymentsApiKey",
                "name": "PAYMENTS_API_KEY",
                "otherNames": ["PAYMENTS_API_KEY_QA", "PAYMENTS_API_KEY_STAGING", "PAYMENTS_API_KEY_PRODUCTION"],
                "foreignNames": ["PAYMENTS_API_KEY_QA", "PAYMENTS_API_KEY_STAGING", "PAYMENTS_API_KEY_PRODUCTION"],
                "required": False,
                "sensitive": True,
                "isEnvironment": False,
                "value": {"type": "text"},
                "rules": [],
                "developmentDefaults": [],
                "expectation": "a string",
                "obtain": {"copyFrom": "the payment provider's dashboard (Developers → API keys)"},
            },
            {
                "key": "batchSize",
                "name": "BILLING_BATCH_SIZE",
                "otherNames": [],
                "foreignNames": [],
                "required": False,
                "sensitive": False,
                "isEnvironment": False,
                "value": {
                    "type": "number",
                    "checks": [
                        {"check": "int"},
                        {"check": "min", "value": 1, "inclusive": True, "text": "1"},
                        {"check": "max", "value": 1000, "inclusive": True, "text": "1000"},
                    ],
                },
                "rules": [],
                "developmentDefaults": ["100"],
                "example": "100",
                "expectation": None,
                "default": {"value": "100"},
            },
            {
                "key": "logLevel",
                "name": "LOG_LEVEL",
                "otherNames": [],
                "foreignNames": [],
                "required": False,
                "sensitive": False,
                "isEnvironment": False,
                "value": {"type": "one-of", "values": ["error", "warn", "info", "debug"]},
                "rules": [],
                "developmentDefaults": ["info"],
                "example": "info",
                "expectation": "one of error, warn, info, debug",
                "default": {"value": "info"},
            },
        ],
        "crossRules": [],
        "notAllowed": [],
        "allNames": [
            "ENVIRONMENT",
            "BILLING_DB_HOST",
            "BILLING_DB_PORT",
            "BILLING_DB_NAME",
            "BILLING_DB_USER",
            "BILLING_DB_PASSWORD",
            "BILLING_DB_SSL_MODE",
            "PAYMENTS_API_KEY",
            "PAYMENTS_API_KEY_QA",
            "PAYMENTS_API_KEY_STAGING",
            "PAYMENTS_API_KEY_PRODUCTION",
            "BILLING_BATCH_SIZE",
            "LOG_LEVEL",
        ],
        "prefixes": ["BILLING_DB_"],
    },
    "test": {
        "variables": [
            {
                "key": "environment",
                "name": "ENVIRONMENT",
                "otherNames": [],
                "foreignNames": [],
                "required": True,
                "sensitive": False,
                "isEnvironment": True,
                "value": {"type": "one-of", "values": ["development", "test", "qa", "staging", "production"]},
                "rules": [],
                "developmentDefaults": [],
                "example": "staging",
                "expectation": "one of development, test, qa, staging, production",
            },
            {
                "key": "billingDb.host",
                "name": "BILLING_DB_HOST",
                "otherNames": [],
                "foreignNames": [],
                "required": False,
                "sensitive": False,
                "isEnvironment": False,
                "value": {
                    "type": "host",
                    "cloudSql": True,
                    "expectation": "a host name, an IP address or /cloudsql/PROJECT:REGION:INSTANCE (no port, scheme or brackets)",
                    "portVariable": "BILLING_DB_PORT",
                    "python": 0,
                },
                "rules": [],
                "developmentDefaults": ["127.0.0.1"],
                "example": "/cloudsql/netra-staging:europe-west1:netra-db",
                "expectation": "a host name, an IP address or /cloudsql/PROJECT:REGION:INSTANCE (no port, scheme or brackets)",
                "default": {"value": "127.0.0.1"},
            },
            {
                "key": "billingDb.port",
                "name": "BILLING_DB_PORT",
                "otherNames": [],
                "foreignNames": [],
                "required": False,
                "sensitive": False,
                "isEnvironment": False,
                "value": {"type": "port"},
                "rules": [],
                "developmentDefaults": ["5432"],
                "example": "5432",
                "expectation": "an integer from 1 to 65535",
                "default": {"value": "5432"},
            },
            {
                "key": "billingDb.name",
                "name": "BILLING_DB_NAME",
                "otherNames": [],
                "foreignNames": [],
                "required": False,
                "sensitive": False,
                "isEnvironment": False,
                "value": {"type": "text"},
                "rules": [],
                "developmentDefaults": ["postgres"],
                "example": "netra",
                "expectation": "a string",
                "default": {"value": "postgres"},
            },
            {
                "key": "billingDb.user",
                "name": "BILLING_DB_USER",
                "otherNames": [],
                "foreignNames": [],
                "required": False,
                "sensitive": False,
                "isEnvironment": False,
                "value": {"type": "text"},
                "rules": [],
                "developmentDefaults": ["postgres"],
                "example": "netra_app",
                "expectation": "a string",
                "default": {"value": "postgres"},
            },
            {
                "key": "billingDb.password",
                "name": "BILLING_DB_PASSWORD",
                "otherNames": [],
                "foreignNames": [],
                "required": False,
                "sensitive": True,
                "isEnvironment": False,
                "value": {"type": "text"},
                "rules": [],
                "developmentDefaults": [],
                "expectation": "a string",
                "obtain": {"generate": "openssl rand -base64 24"},
            },
            {
                "key": "billingDb.sslMode",
                "name": "BILLING_DB_SSL_MODE",
                "otherNames": [],
                "foreignNames": [],
                "required": False,
                "sensitive": False,
                "isEnvironment": False,
                "value": {"type": "one-of", "values": ["disable", "require", "verify-full"]},
                "rules": [],
                "developmentDefaults": ["disable"],
                "example": "require",
                "expectation": "one of disable, require, verify-full",
                "default": {"value": "disable"},
            },
            {
                "key": "paymentsApiKey",
                "name": "PAYMENTS_API_KEY",
                "otherNames": ["PAYMENTS_API_KEY_QA", "PAYMENTS_API_KEY_STAGING", "PAYMENTS_API_KEY_PRODUCTION"],
                "foreignNames": ["PAYMENTS_API_KEY_QA", "PAYMENTS_API_KEY_STAGING", "PAYMENTS_API_KEY_PRODUCTION"],
                "required": False,
                "sensitive": True,
                "isEnvironment": False,
                "value": {"type": "text"},
                "rules": [],
                "developmentDefaults": [],
                "expectation": "a string",
                "obtain": {"copyFrom": "the payment provider's dashboard (Developers → API keys)"},
            },
            {
                "key": "batchSize",
                "name": "BILLING_BATCH_SIZE",
                "otherNames": [],
                "foreignNames": [],
                "required": False,
                "sensitive": False,
                "isEnvironment": False,
                "value": {
                    "type": "number",
                    "checks": [
                        {"check": "int"},
                        {"check": "min", "value": 1, "inclusive": True, "text": "1"},
                        {"check": "max", "value": 1000, "inclusive": True, "text": "1000"},
                    ],
                },
                "rules": [],
                "developmentDefaults": ["100"],
                "example": "100",
                "expectation": None,
                "default": {"value": "100"},
            },
            {
                "key": "logLevel",
                "name": "LOG_LEVEL",
                "otherNames": [],
                "foreignNames": [],
                "required": False,
                "sensitive": False,
                "isEnvironment": False,
                "value": {"type": "one-of", "values": ["error", "warn", "info", "debug"]},
                "rules": [],
                "developmentDefaults": ["info"],
                "example": "info",
                "expectation": "one of error, warn, info, debug",
                "default": {"value": "info"},
            },
        ],
        "crossRules": [],
        "notAllowed": [],
        "allNames": [
            "ENVIRONMENT",
            "BILLING_DB_HOST",
            "BILLING_DB_PORT",
            "BILLING_DB_NAME",
            "BILLING_DB_USER",
            "BILLING_DB_PASSWORD",
            "BILLING_DB_SSL_MODE",
            "PAYMENTS_API_KEY",
            "PAYMENTS_API_KEY_QA",
            "PAYMENTS_API_KEY_STAGING",
            "PAYMENTS_API_KEY_PRODUCTION",
            "BILLING_BATCH_SIZE",
            "LOG_LEVEL",
        ],
        "prefixes": ["BILLING_DB_"],
    },
    "qa": {
        "variables": [
            {
                "key": "environment",
                "name": "ENVIRONMENT",
                "otherNames": [],
                "foreignNames": [],
                "required": True,
                "sensitive": False,
                "isEnvironment": True,
                "value": {"type": "one-of", "values": ["development", "test", "qa", "staging", "production"]},
                "rules": [],
                "developmentDefaults": [],
                "example": "staging",
                "expectation": "one of development, test, qa, staging, production",
            },
            {
                "key": "billingDb.host",
                "name": "BILLING_DB_HOST",
                "otherNames": [],
                "foreignNames": [],
                "required": True,
                "sensitive": False,
                "isEnvironment": False,
                "value": {
                    "type": "host",
                    "cloudSql": True,
                    "expectation": "a host name, an IP address or /cloudsql/PROJECT:REGION:INSTANCE (no port, scheme or brackets)",
                    "portVariable": "BILLING_DB_PORT",
                    "python": 0,
                },
                "rules": [
                    {
                        "id": "not-loopback-host",
                        "severity": "error",
                        "exclusive": False,
                        "check": {"policy": "not-loopback", "url": False, "python": 1},
                    },
                ],
                "developmentDefaults": ["127.0.0.1"],
                "example": "/cloudsql/netra-staging:europe-west1:netra-db",
                "expectation": "a host name, an IP address or /cloudsql/PROJECT:REGION:INSTANCE (no port, scheme or brackets)",
            },
            {
                "key": "billingDb.port",
                "name": "BILLING_DB_PORT",
                "otherNames": [],
                "foreignNames": [],
                "required": False,
                "sensitive": False,
                "isEnvironment": False,
                "value": {"type": "port"},
                "rules": [],
                "developmentDefaults": ["5432"],
                "example": "5432",
                "expectation": "an integer from 1 to 65535",
                "default": {"value": "5432"},
            },
            {
                "key": "billingDb.name",
                "name": "BILLING_DB_NAME",
                "otherNames": [],
                "foreignNames": [],
                "required": False,
                "sensitive": False,
                "isEnvironment": False,
                "value": {"type": "text"},
                "rules": [],
                "developmentDefaults": ["postgres"],
                "example": "netra",
                "expectation": "a string",
                "default": {"value": "postgres"},
            },
            {
                "key": "billingDb.user",
                "name": "BILLING_DB_USER",
                "otherNames": [],
                "foreignNames": [],
                "required": True,
                "sensitive": False,
                "isEnvironment": False,
                "value": {"type": "text"},
                "rules": [],
                "developmentDefaults": ["postgres"],
                "example": "netra_app",
                "expectation": "a string",
            },
            {
                "key": "billingDb.password",
                "name": "BILLING_DB_PASSWORD",
                "otherNames": [],
                "foreignNames": [],
                "required": True,
                "sensitive": True,
                "isEnvironment": False,
                "value": {"type": "text"},
                "rules": [
                    {
                        "id": "min-strength-16",
                        "severity": "error",
                        "exclusive": False,
                        "check": {"policy": "min-strength", "minLength": 16, "python": 2},
                    },
                    {
                        "id": "no-placeholder",
                        "severity": "error",
                        "exclusive": False,
                        "check": {"policy": "no-placeholder", "python": 3},
                    },
                ],
                "developmentDefaults": [],
                "expectation": "a string",
                "secret": {"secret": "billing-db-password-qa", "version": "latest"},
                "obtain": {"generate": "openssl rand -base64 24"},
            },
            {
                "key": "billingDb.sslMode",
                "name": "BILLING_DB_SSL_MODE",
                "otherNames": [],
                "foreignNames": [],
                "required": False,
                "sensitive": False,
                "isEnvironment": False,
                "value": {"type": "one-of", "values": ["disable", "require", "verify-full"]},
                "rules": [],
                "developmentDefaults": ["disable"],
                "example": "require",
                "expectation": "one of disable, require, verify-full",
                "default": {
                    "value": "require",
                    "dynamic": {
                        "variable": "BILLING_DB_HOST",
                        "startsWith": "/cloudsql/",
                        "matched": "disable",
                        "otherwise": "require",
                    },
                },
            },
            {
                "key": "paymentsApiKey",
                "name": "PAYMENTS_API_KEY_QA",
                "otherNames": ["PAYMENTS_API_KEY", "PAYMENTS_API_KEY_STAGING", "PAYMENTS_API_KEY_PRODUCTION"],
                "foreignNames": ["PAYMENTS_API_KEY", "PAYMENTS_API_KEY_STAGING", "PAYMENTS_API_KEY_PRODUCTION"],
                "required": True,
                "sensitive": True,
                "isEnvironment": False,
                "value": {"type": "text"},
                "rules": [
                    {
                        "id": "min-strength-24",
                        "severity": "error",
                        "exclusive": False,
                        "check": {"policy": "min-strength", "minLength": 24, "python": 2},
                    },
                    {
                        "id": "no-placeholder",
                        "severity": "error",
                        "exclusive": False,
                        "check": {"policy": "no-placeholder", "python": 3},
                    },
                ],
                "developmentDefaults": [],
                "expectation": "a string",
                "secret": {"secret": "payments-api-key-qa", "version": "latest"},
                "obtain": {"copyFrom": "the payment provider's dashboard (Developers → API keys)"},
            },
            {
                "key": "batchSize",
                "name": "BILLING_BATCH_SIZE",
                "otherNames": [],
                "foreignNames": [],
                "required": False,
                "sensitive": False,
                "isEnvironment": False,
                "value": {
                    "type": "number",
                    "checks": [
                        {"check": "int"},
                        {"check": "min", "value": 1, "inclusive": True, "text": "1"},
                        {"check": "max", "value": 1000, "inclusive": True, "text": "1000"},
                    ],
                },
                "rules": [],
                "developmentDefaults": ["100"],
                "example": "100",
                "expectation": None,
                "default": {"value": "100"},
            },
            {
                "key": "logLevel",
                "name": "LOG_LEVEL",
                "otherNames": [],
                "foreignNames": [],
                "required": False,
                "sensitive": False,
                "isEnvironment": False,
                "value": {"type": "one-of", "values": ["error", "warn", "info", "debug"]},
                "rules": [],
                "developmentDefaults": ["info"],
                "example": "info",
                "expectation": "one of error, warn, info, debug",
                "default": {"value": "info"},
            },
        ],
        "crossRules": [
            {
                "id": "password-not-user",
                "severity": "error",
                "groupPath": ["billingDb"],
                "keys": [["user", "billingDb.user"], ["password", "billingDb.password"]],
                "check": {"builtin": "password-not-user"},
            },
            {
                "id": "ssl-over-network",
                "severity": "warning",
                "groupPath": ["billingDb"],
                "keys": [["host", "billingDb.host"], ["sslMode", "billingDb.sslMode"]],
                "check": {"builtin": "ssl-over-network", "socketPrefix": "/cloudsql/"},
            },
        ],
        "notAllowed": [],
        "allNames": [
            "ENVIRONMENT",
            "BILLING_DB_HOST",
            "BILLING_DB_PORT",
            "BILLING_DB_NAME",
            "BILLING_DB_USER",
            "BILLING_DB_PASSWORD",
            "BILLING_DB_SSL_MODE",
            "PAYMENTS_API_KEY",
            "PAYMENTS_API_KEY_QA",
            "PAYMENTS_API_KEY_STAGING",
            "PAYMENTS_API_KEY_PRODUCTION",
            "BILLING_BATCH_SIZE",
            "LOG_LEVEL",
        ],
        "prefixes": ["BILLING_DB_"],
    },
    "staging": {
        "variables": [
            {
                "key": "environment",
                "name": "ENVIRONMENT",
                "otherNames": [],
                "foreignNames": [],
                "required": True,
                "sensitive": False,
                "isEnvironment": True,
                "value": {"type": "one-of", "values": ["development", "test", "qa", "staging", "production"]},
                "rules": [],
                "developmentDefaults": [],
                "example": "staging",
                "expectation": "one of development, test, qa, staging, production",
            },
            {
                "key": "billingDb.host",
                "name": "BILLING_DB_HOST",
                "otherNames": [],
                "foreignNames": [],
                "required": True,
                "sensitive": False,
                "isEnvironment": False,
                "value": {
                    "type": "host",
                    "cloudSql": True,
                    "expectation": "a host name, an IP address or /cloudsql/PROJECT:REGION:INSTANCE (no port, scheme or brackets)",
                    "portVariable": "BILLING_DB_PORT",
                    "python": 0,
                },
                "rules": [
                    {
                        "id": "not-loopback-host",
                        "severity": "error",
                        "exclusive": False,
                        "check": {"policy": "not-loopback", "url": False, "python": 1},
                    },
                ],
                "developmentDefaults": ["127.0.0.1"],
                "example": "/cloudsql/netra-staging:europe-west1:netra-db",
                "expectation": "a host name, an IP address or /cloudsql/PROJECT:REGION:INSTANCE (no port, scheme or brackets)",
            },
            {
                "key": "billingDb.port",
                "name": "BILLING_DB_PORT",
                "otherNames": [],
                "foreignNames": [],
                "required": False,
                "sensitive": False,
                "isEnvironment": False,
                "value": {"type": "port"},
                "rules": [],
                "developmentDefaults": ["5432"],
                "example": "5432",
                "expectation": "an integer from 1 to 65535",
                "default": {"value": "5432"},
            },
            {
                "key": "billingDb.name",
                "name": "BILLING_DB_NAME",
                "otherNames": [],
                "foreignNames": [],
                "required": False,
                "sensitive": False,
                "isEnvironment": False,
                "value": {"type": "text"},
                "rules": [],
                "developmentDefaults": ["postgres"],
                "example": "netra",
                "expectation": "a string",
                "default": {"value": "postgres"},
            },
            {
                "key": "billingDb.user",
                "name": "BILLING_DB_USER",
                "otherNames": [],
                "foreignNames": [],
                "required": True,
                "sensitive": False,
                "isEnvironment": False,
                "value": {"type": "text"},
                "rules": [],
                "developmentDefaults": ["postgres"],
                "example": "netra_app",
                "expectation": "a string",
            },
            {
                "key": "billingDb.password",
                "name": "BILLING_DB_PASSWORD",
                "otherNames": [],
                "foreignNames": [],
                "required": True,
                "sensitive": True,
                "isEnvironment": False,
                "value": {"type": "text"},
                "rules": [
                    {
                        "id": "min-strength-16",
                        "severity": "error",
                        "exclusive": False,
                        "check": {"policy": "min-strength", "minLength": 16, "python": 2},
                    },
                    {
                        "id": "no-placeholder",
                        "severity": "error",
                        "exclusive": False,
                        "check": {"policy": "no-placeholder", "python": 3},
                    },
                ],
                "developmentDefaults": [],
                "expectation": "a string",
                "secret": {"secret": "billing-db-password-staging", "version": "latest"},
                "obtain": {"generate": "openssl rand -base64 24"},
            },
            {
                "key": "billingDb.sslMode",
                "name": "BILLING_DB_SSL_MODE",
                "otherNames": [],
                "foreignNames": [],
                "required": False,
                "sensitive": False,
                "isEnvironment": False,
                "value": {"type": "one-of", "values": ["disable", "require", "verify-full"]},
                "rules": [],
                "developmentDefaults": ["disable"],
                "example": "require",
                "expectation": "one of disable, require, verify-full",
                "default": {
                    "value": "require",
                    "dynamic": {
                        "variable": "BILLING_DB_HOST",
                        "startsWith": "/cloudsql/",
                        "matched": "disable",
                        "otherwise": "require",
                    },
                },
            },
            {
                "key": "paymentsApiKey",
                "name": "PAYMENTS_API_KEY_STAGING",
                "otherNames": ["PAYMENTS_API_KEY", "PAYMENTS_API_KEY_QA", "PAYMENTS_API_KEY_PRODUCTION"],
                "foreignNames": ["PAYMENTS_API_KEY", "PAYMENTS_API_KEY_QA", "PAYMENTS_API_KEY_PRODUCTION"],
                "required": True,
                "sensitive": True,
                "isEnvironment": False,
                "value": {"type": "text"},
                "rules": [
                    {
                        "id": "min-strength-24",
                        "severity": "error",
                        "exclusive": False,
                        "check": {"policy": "min-strength", "minLength": 24, "python": 2},
                    },
                    {
                        "id": "no-placeholder",
                        "severity": "error",
                        "exclusive": False,
                        "check": {"policy": "no-placeholder", "python": 3},
                    },
                ],
                "developmentDefaults": [],
                "expectation": "a string",
                "secret": {"secret": "payments-api-key-staging", "version": "latest"},
                "obtain": {"copyFrom": "the payment provider's dashboard (Developers → API keys)"},
            },
            {
                "key": "batchSize",
                "name": "BILLING_BATCH_SIZE",
                "otherNames": [],
                "foreignNames": [],
                "required": False,
                "sensitive": False,
                "isEnvironment": False,
                "value": {
                    "type": "number",
                    "checks": [
                        {"check": "int"},
                        {"check": "min", "value": 1, "inclusive": True, "text": "1"},
                        {"check": "max", "value": 1000, "inclusive": True, "text": "1000"},
                    ],
                },
                "rules": [],
                "developmentDefaults": ["100"],
                "example": "100",
                "expectation": None,
                "default": {"value": "100"},
            },
            {
                "key": "logLevel",
                "name": "LOG_LEVEL",
                "otherNames": [],
                "foreignNames": [],
                "required": False,
                "sensitive": False,
                "isEnvironment": False,
                "value": {"type": "one-of", "values": ["error", "warn", "info", "debug"]},
                "rules": [],
                "developmentDefaults": ["info"],
                "example": "info",
                "expectation": "one of error, warn, info, debug",
                "default": {"value": "info"},
            },
        ],
        "crossRules": [
            {
                "id": "password-not-user",
                "severity": "error",
                "groupPath": ["billingDb"],
                "keys": [["user", "billingDb.user"], ["password", "billingDb.password"]],
                "check": {"builtin": "password-not-user"},
            },
            {
                "id": "ssl-over-network",
                "severity": "warning",
                "groupPath": ["billingDb"],
                "keys": [["host", "billingDb.host"], ["sslMode", "billingDb.sslMode"]],
                "check": {"builtin": "ssl-over-network", "socketPrefix": "/cloudsql/"},
            },
        ],
        "notAllowed": [],
        "allNames": [
            "ENVIRONMENT",
            "BILLING_DB_HOST",
            "BILLING_DB_PORT",
            "BILLING_DB_NAME",
            "BILLING_DB_USER",
            "BILLING_DB_PASSWORD",
            "BILLING_DB_SSL_MODE",
            "PAYMENTS_API_KEY",
            "PAYMENTS_API_KEY_QA",
            "PAYMENTS_API_KEY_STAGING",
            "PAYMENTS_API_KEY_PRODUCTION",
            "BILLING_BATCH_SIZE",
            "LOG_LEVEL",
        ],
        "prefixes": ["BILLING_DB_"],
    },
    "production": {
        "variables": [
            {
                "key": "environment",
                "name": "ENVIRONMENT",
                "otherNames": [],
                "foreignNames": [],
                "required": True,
                "sensitive": False,
                "isEnvironment": True,
                "value": {"type": "one-of", "values": ["development", "test", "qa", "staging", "production"]},
                "rules": [],
                "developmentDefaults": [],
                "example": "staging",
                "expectation": "one of development, test, qa, staging, production",
            },
            {
                "key": "billingDb.host",
                "name": "BILLING_DB_HOST",
                "otherNames": [],
                "foreignNames": [],
                "required": True,
                "sensitive": False,
                "isEnvironment": False,
                "value": {
                    "type": "host",
                    "cloudSql": True,
                    "expectation": "a host name, an IP address or /cloudsql/PROJECT:REGION:INSTANCE (no port, scheme or brackets)",
                    "portVariable": "BILLING_DB_PORT",
                    "python": 0,
                },
                "rules": [
                    {
                        "id": "not-loopback-host",
                        "severity": "error",
                        "exclusive": False,
                        "check": {"policy": "not-loopback", "url": False, "python": 1},
                    },
                ],
                "developmentDefaults": ["127.0.0.1"],
                "example": "/cloudsql/netra-staging:europe-west1:netra-db",
                "expectation": "a host name, an IP address or /cloudsql/PROJECT:REGION:INSTANCE (no port, scheme or brackets)",
            },
            {
                "key": "billingDb.port",
                "name": "BILLING_DB_PORT",
                "otherNames": [],
                "foreignNames": [],
                "required": False,
                "sensitive": False,
                "isEnvironment": False,
                "value": {"type": "port"},
                "rules": [],
                "developmentDefaults": ["5432"],
                "example": "5432",
                "expectation": "an integer from 1 to 65535",
                "default": {"value": "5432"},
            },
            {
                "key": "billingDb.name",
                "name": "BILLING_DB_NAME",
                "otherNames": [],
                "foreignNames": [],
                "required": False,
                "sensitive": False,
                "isEnvironment": False,
                "value": {"type": "text"},
                "rules": [],
                "developmentDefaults": ["postgres"],
                "example": "netra",
                "expectation": "a string",
                "default": {"value": "postgres"},
            },
            {
                "key": "billingDb.user",
                "name": "BILLING_DB_USER",
                "otherNames": [],
                "foreignNames": [],
                "required": True,
                "sensitive": False,
                "isEnvironment": False,
                "value": {"type": "text"},
                "rules": [],
                "developmentDefaults": ["postgres"],
                "example": "netra_app",
                "expectation": "a string",
            },
            {
                "key": "billingDb.password",
                "name": "BILLING_DB_PASSWORD",
                "otherNames": [],
                "foreignNames": [],
                "required": True,
                "sensitive": True,
                "isEnvironment": False,
                "value": {"type": "text"},
                "rules": [
                    {
                        "id": "min-strength-16",
                        "severity": "error",
                        "exclusive": False,
                        "check": {"policy": "min-strength", "minLength": 16, "python": 2},
                    },
                    {
                        "id": "no-placeholder",
                        "severity": "error",
                        "exclusive": False,
                        "check": {"policy": "no-placeholder", "python": 3},
                    },
                ],
                "developmentDefaults": [],
                "expectation": "a string",
                "secret": {"secret": "billing-db-password-production", "version": "latest"},
                "obtain": {"generate": "openssl rand -base64 24"},
            },
            {
                "key": "billingDb.sslMode",
                "name": "BILLING_DB_SSL_MODE",
                "otherNames": [],
                "foreignNames": [],
                "required": False,
                "sensitive": False,
                "isEnvironment": False,
                "value": {"type": "one-of", "values": ["disable", "require", "verify-full"]},
                "rules": [],
                "developmentDefaults": ["disable"],
                "example": "require",
                "expectation": "one of disable, require, verify-full",
                "default": {
                    "value": "require",
                    "dynamic": {
                        "variable": "BILLING_DB_HOST",
                        "startsWith": "/cloudsql/",
                        "matched": "disable",
                        "otherwise": "require",
                    },
                },
            },
            {
                "key": "paymentsApiKey",
                "name": "PAYMENTS_API_KEY_PRODUCTION",
                "otherNames": ["PAYMENTS_API_KEY", "PAYMENTS_API_KEY_QA", "PAYMENTS_API_KEY_STAGING"],
                "foreignNames": ["PAYMENTS_API_KEY", "PAYMENTS_API_KEY_QA", "PAYMENTS_API_KEY_STAGING"],
                "required": True,
                "sensitive": True,
                "isEnvironment": False,
                "value": {"type": "text"},
                "rules": [
                    {
                        "id": "min-strength-24",
                        "severity": "error",
                        "exclusive": False,
                        "check": {"policy": "min-strength", "minLength": 24, "python": 2},
                    },
                    {
                        "id": "no-placeholder",
                        "severity": "error",
                        "exclusive": False,
                        "check": {"policy": "no-placeholder", "python": 3},
                    },
                ],
                "developmentDefaults": [],
                "expectation": "a string",
                "secret": {"secret": "payments-api-key-production", "version": "latest"},
                "obtain": {"copyFrom": "the payment provider's dashboard (Developers → API keys)"},
            },
            {
                "key": "batchSize",
                "name": "BILLING_BATCH_SIZE",
                "otherNames": [],
                "foreignNames": [],
                "required": False,
                "sensitive": False,
                "isEnvironment": False,
                "value": {
                    "type": "number",
                    "checks": [
                        {"check": "int"},
                        {"check": "min", "value": 1, "inclusive": True, "text": "1"},
                        {"check": "max", "value": 1000, "inclusive": True, "text": "1000"},
                    ],
                },
                "rules": [],
                "developmentDefaults": ["100"],
                "example": "100",
                "expectation": None,
                "default": {"value": "100"},
            },
            {
                "key": "logLevel",
                "name": "LOG_LEVEL",
                "otherNames": [],
                "foreignNames": [],
                "required": False,
                "sensitive": False,
                "isEnvironment": False,
                "value": {"type": "one-of", "values": ["error", "warn", "info", "debug"]},
                "rules": [],
                "developmentDefaults": ["info"],
                "example": "info",
                "expectation": "one of error, warn, info, debug",
                "default": {"value": "info"},
            },
        ],
        "crossRules": [
            {
                "id": "password-not-user",
                "severity": "error",
                "groupPath": ["billingDb"],
                "keys": [["user", "billingDb.user"], ["password", "billingDb.password"]],
                "check": {"builtin": "password-not-user"},
            },
            {
                "id": "ssl-over-network",
                "severity": "warning",
                "groupPath": ["billingDb"],
                "keys": [["host", "billingDb.host"], ["sslMode", "billingDb.sslMode"]],
                "check": {"builtin": "ssl-over-network", "socketPrefix": "/cloudsql/"},
            },
        ],
        "notAllowed": [],
        "allNames": [
            "ENVIRONMENT",
            "BILLING_DB_HOST",
            "BILLING_DB_PORT",
            "BILLING_DB_NAME",
            "BILLING_DB_USER",
            "BILLING_DB_PASSWORD",
            "BILLING_DB_SSL_MODE",
            "PAYMENTS_API_KEY",
            "PAYMENTS_API_KEY_QA",
            "PAYMENTS_API_KEY_STAGING",
            "PAYMENTS_API_KEY_PRODUCTION",
            "BILLING_BATCH_SIZE",
            "LOG_LEVEL",
        ],
        "prefixes": ["BILLING_DB_"],
    },
}.items()}

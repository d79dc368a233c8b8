/**
 * gcloud's list and dictionary flag values (`gcloud topic escaping`): items separated by `,`, or by DELIM when
 * the value starts with `^DELIM^`; a dictionary item is KEY=VALUE split at the first `=`.
 */
export function splitGcloudList(value: string): string[] {
  let delimiter = ',';
  let body = value;
  const alternate = /^\^([^^]+)\^/.exec(value);
  if (alternate) {
    delimiter = alternate[1]!;
    body = value.slice(alternate[0].length);
  }
  return body.split(delimiter).filter((item) => item !== '');
}

/** A gcloud dictionary flag value as ordered [key, value] pairs; an item without `=` has the value `undefined`. */
export function splitGcloudDict(value: string): Array<[string, string | undefined]> {
  return splitGcloudList(value).map((item) => {
    const equals = item.indexOf('=');
    return equals === -1 ? [item, undefined] : [item.slice(0, equals), item.slice(equals + 1)];
  });
}

import { compile } from './compile.ts';
import type { ConfigSchema } from './dsl.ts';
import { checkedEnvironment } from './load.ts';
import type { Environment, SecretBinding } from './types.ts';

/** One variable as it is in one environment. */
export interface VariableDescription {
  /** Logical key, e.g. `database.host`. */
  key: string;
  /** Its name in this environment, e.g. `API_TOKEN_STAGING`. */
  variable: string;
  description: string;
  /** A safe example (never a real secret). */
  example?: string;
  /** Required in this environment. */
  required: boolean;
  sensitive: boolean;
  /** Default in this environment as the env string (never for a sensitive variable in staging/production). */
  default?: string;
  /** Secret Manager binding in this environment. */
  secret?: SecretBinding;
  /** Set by the platform (`PORT`): a manifest must not set it. */
  reserved: boolean;
  /** The names this key has in the other environments. */
  otherNames: string[];
}

/**
 * Every variable allowed in `environment`, in schema order, with its name, requirement, sensitivity,
 * default and secret binding — what the secrets loader and the verifier build on.
 *
 * @example
 * describeSchema(schema, 'staging').filter((v) => v.secret); // the Secret Manager bindings
 */
export function describeSchema(schema: ConfigSchema, environment: Environment): VariableDescription[] {
  return compile(schema, checkedEnvironment(environment, schema)).variables.map((variable) => {
    const description: VariableDescription = {
      key: variable.key,
      variable: variable.name,
      description: variable.description,
      required: variable.required,
      sensitive: variable.sensitive,
      reserved: variable.reserved,
      otherNames: [...variable.otherNames],
    };
    if (variable.example !== undefined) description.example = variable.example;
    if (variable.default !== undefined) {
      description.default = typeof variable.default === 'string' ? variable.default : variable.default.value;
    }
    if (variable.secret) description.secret = { ...variable.secret };
    return description;
  });
}

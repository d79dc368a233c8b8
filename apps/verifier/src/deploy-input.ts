import type { Deployment } from '@netra/deploy-manifest';
import { InputError } from './errors';

/**
 * Reads the deploy input `path` (any format @netra/deploy-manifest reads) for one service; a file it cannot read,
 * or one that deploys several services without `--service`, is an {@link InputError} (exit 2) naming the file.
 * `configService` (netra.config's `service`) picks among several services when `--service` is not given; a file
 * that deploys one service is read as it is, whatever its name.
 */
export async function loadDeployInput(
  path: string,
  cwd: string,
  service: string | undefined,
  configService?: string | undefined,
): Promise<Deployment> {
  // The reader (and, for scripts, its WebAssembly shell parser) loads only when there is a deploy input.
  const { loadDeployment, ManifestError } = await import('@netra/deploy-manifest');
  return asInputError(async () => {
    try {
      return await loadDeployment(path, { cwd, service });
    } catch (error) {
      const severalServices = error instanceof ManifestError && error.code === 'several-services';
      if (service !== undefined || configService === undefined || !severalServices) throw error;
    }
    try {
      return await loadDeployment(path, { cwd, service: configService });
    } catch (error) {
      if (error instanceof ManifestError && error.code === 'no-such-service') {
        throw new InputError(
          `${error.message} (the service netra.config names); pick one with --service NAME`,
          {
            file: error.file,
            cause: error,
          },
        );
      }
      throw error;
    }
  });
}

/**
 * Every deploy of the input `path` (a file or a Terraform folder), for a command that picks among them itself;
 * an input it cannot read is an {@link InputError} (exit 2) naming the file.
 */
export async function loadDeployInputs(path: string, cwd: string): Promise<Deployment[]> {
  const { loadDeployments } = await import('@netra/deploy-manifest');
  return asInputError(() => loadDeployments(path, { cwd }));
}

async function asInputError<T>(read: () => Promise<T>): Promise<T> {
  const { ManifestError } = await import('@netra/deploy-manifest');
  try {
    return await read();
  } catch (error) {
    if (error instanceof ManifestError)
      throw new InputError(error.message, { file: error.file, cause: error });
    throw error;
  }
}

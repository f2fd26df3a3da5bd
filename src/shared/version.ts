/** The one version number: the engine reports it, `valetkey --version` prints it, exports record it. */
export const VALETKEY_VERSION = '0.1.0';

declare const __FORGE_PACKAGE_VERSION__: string | undefined;

/** The CLI's version, fixed at build time (`0.0.0-source` when run from sources in tests). */
export const FORGE_VERSION: string = typeof __FORGE_PACKAGE_VERSION__ === 'string' ? __FORGE_PACKAGE_VERSION__ : '0.0.0-source';

declare const __FORGE_PACKAGE_VERSION__: string | undefined;

/** This package's version, fixed at build time (source runs in tests say `0.0.0-source`). */
export const SCHEMA_PACKAGE_VERSION: string = typeof __FORGE_PACKAGE_VERSION__ === 'string' ? __FORGE_PACKAGE_VERSION__ : '0.0.0-source';

/**
 * @module @mesocosm/chronos
 */
export {};

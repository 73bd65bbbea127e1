/**
 * @module @mesocosm/marathon
 */
export {};

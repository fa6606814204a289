/**
 * The Novyse wire format as Java records (tolerant Jackson reading: unknown fields are ignored, see
 * docs/protocol.md) and the one configured {@link dev.novyse.protocol.Json#mapper()}. The bottom layer: depends on
 * no other package of novyse.
 */
package dev.novyse.protocol;

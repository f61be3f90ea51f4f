/**
 * Extension points: what an adapter implements ({@link dev.holdfast.spi.Backend},
 * {@link dev.holdfast.spi.ErrorClassifier}) so that holdfast's Repository, KeyValueStore, safe calls and
 * resilience work over it unchanged.
 */
package dev.holdfast.spi;

/**
 * The in-memory engine's implementation: value semantics ({@link dev.holdfast.testkit.internal.JsonValues}),
 * filter evaluation ({@link dev.holdfast.testkit.internal.RowMatcher}), ordering
 * ({@link dev.holdfast.testkit.internal.RowOrdering}) and table storage. Public so that testkit's own HTTP mock
 * can reuse it; not part of holdfast's supported API, and it may change in any release.
 */
package dev.holdfast.testkit.internal;

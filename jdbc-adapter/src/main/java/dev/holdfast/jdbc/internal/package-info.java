/**
 * Implementation of holdfast-jdbc: SQL text and parameter binding, row reading, connection handling with
 * per-attempt timeouts, SQLSTATE classification, pooler checks and the connection doctor's rules. Not part of
 * the public API; it may change in any release.
 */
package dev.holdfast.jdbc.internal;

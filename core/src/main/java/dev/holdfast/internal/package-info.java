/**
 * holdfast's implementation. Nothing here is public API: it may change in any release, and adapters use only
 * {@code dev.holdfast} and {@code dev.holdfast.spi}.
 */
package dev.holdfast.internal;

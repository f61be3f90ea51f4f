/**
 * Implementation of holdfast-postgrest: URL and filter encoding, HTTP execution, and the mapping of PostgREST's
 * responses onto holdfast's error taxonomy. Not part of the public API; may change in any release.
 */
package dev.holdfast.postgrest.internal;

/**
 * holdfast-postgrest: a closeable PostgREST client on OkHttp and the PostgREST backend. Exports only
 * {@code dev.holdfast.postgrest}; {@code dev.holdfast.postgrest.internal} stays private.
 */
module dev.holdfast.postgrest {
  requires transitive dev.holdfast;
  // Builder.okHttpClient(OkHttpClient) takes OkHttp's type; okhttp3 brings okio and kotlin.stdlib with it.
  requires transitive okhttp3;
  requires org.slf4j;

  exports dev.holdfast.postgrest;
}

/**
 * The machinery under {@link dev.holdfast.testkit.PostgresCluster}: the processes it runs (as an unprivileged
 * user when the tests run as root), how it finds and stops every one of them, the configuration files of etcd,
 * Patroni and HAProxy, and the small HTTP calls to Patroni's REST API and HAProxy's statistics page. Public only
 * because it lives in its own package; not part of holdfast's supported API, and it may change in any release.
 */
package dev.holdfast.testkit.internal.cluster;

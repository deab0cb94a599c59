package io.ailurus.admin.backend;

/**
 * Everything the admin HTTP server needs from the broker, in one type so the broker can hand a
 * single object to {@link io.ailurus.admin.AdminServer}. The parts are separate interfaces so a
 * test or a partial implementation can be written one concern at a time.
 *
 * <p>Implementations are called from the admin server's handler threads (never from Netty event
 * loops), so they may block briefly, e.g. to wait for a controller write. Errors meant for the
 * operator are thrown as {@link AdminApiException}; anything else becomes a 500.
 */
public interface AdminBackend extends ClusterBackend, PartitionBackend, ConfigBackend, FeatureBackend {
}

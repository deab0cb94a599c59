package io.ailurus.core.kafka;

import io.ailurus.core.metadata.CommandResult;
import io.ailurus.core.metadata.MetadataCommand;
import io.ailurus.core.metadata.MetadataImage;
import java.util.concurrent.CompletableFuture;

/** What handlers need of the controller: the current metadata and a way to change it. */
public interface ClusterView {

    int nodeId();

    String clusterId();

    /** Node id of the controller leader, or -1 while there is none. */
    int controllerId();

    MetadataImage image();

    /** Proposes {@code command} to the controller group; completes once it is applied here. */
    CompletableFuture<CommandResult> submit(MetadataCommand command);
}

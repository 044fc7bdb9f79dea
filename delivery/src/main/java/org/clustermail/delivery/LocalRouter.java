package org.clustermail.delivery;

import java.util.List;

/** The one-node {@link Router}: every recipient's copy goes to this node's store. */
public final class LocalRouter implements Router {

    private final List<DeliveryTarget> local;

    public LocalRouter(DeliveryTarget localStore) {
        this.local = List.of(localStore);
    }

    @Override
    public List<DeliveryTarget> route(Recipient recipient) {
        return local;
    }
}

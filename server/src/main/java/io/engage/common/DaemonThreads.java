package io.engage.common;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/** Thread factories for background pools: daemon threads, named for thread dumps. */
public final class DaemonThreads {

    private DaemonThreads() {
    }

    public static CustomizableThreadFactory named(String prefix) {
        CustomizableThreadFactory factory = new CustomizableThreadFactory(prefix + "-");
        factory.setDaemon(true);
        return factory;
    }
}

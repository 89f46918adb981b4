package io.engage;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

/**
 * The server's feature modules (top-level packages under io.engage) must not depend on each other in cycles, and may
 * use only each other's public face (see docs/architecture.md).
 */
class ModuleStructureTest {

    @Test
    void modulesHaveNoCyclesAndUseOnlyPublicFaces() {
        ApplicationModules.of(EngageApplication.class).verify();
    }
}

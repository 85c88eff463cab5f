package dev.fusionextract.local;

/** The hostile suite again, every run landed by four transfer workers: each case must end as it does with one. */
class HostileSuiteWithWorkersTest extends HostileSuiteTest {

    @Override
    World world() {
        World world = new World();
        world.fx.settings().put("TRANSFER_WORKERS", "4");
        return world;
    }
}

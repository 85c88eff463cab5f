package dev.fusionextract.local;

/** The end-to-end suite again, every run landed by four transfer workers: each scenario must end as it does with one. */
class EndToEndSuiteWithWorkersTest extends EndToEndSuiteTest {

    EndToEndSuiteWithWorkersTest() {
        fx.settings().put("TRANSFER_WORKERS", "4");
    }

    @Override
    int workers() {
        return 4;
    }
}

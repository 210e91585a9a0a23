package org.evault.system;

import org.evault.threshold.ThresholdScheme;

/** n = 3, t = 1, the additive scheme: every daemon must sign. */
class DepositRetrieveAdditiveN3Test extends DepositRetrieveTests {
    @Override
    int n() {
        return 3;
    }

    @Override
    int t() {
        return 1;
    }

    @Override
    ThresholdScheme scheme() {
        return ThresholdScheme.ADDITIVE;
    }
}

package org.evault.system;

import org.evault.threshold.ThresholdScheme;

/** n = 5, t = 2, Shoup's scheme: any 3 valid shares make the signature. */
class DepositRetrieveShoupN5Test extends DepositRetrieveTests {
    @Override
    int n() {
        return 5;
    }

    @Override
    int t() {
        return 2;
    }

    @Override
    ThresholdScheme scheme() {
        return ThresholdScheme.SHOUP;
    }
}

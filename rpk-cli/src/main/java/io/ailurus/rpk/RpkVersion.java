package io.ailurus.rpk;

import picocli.CommandLine.IVersionProvider;

/** {@code rpk --version}: the build's version from the jar manifest, when packaged. */
public final class RpkVersion implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Rpk.class.getPackage().getImplementationVersion();
        return new String[] {"rpk (Ailurus) " + (v == null ? "development build" : v)};
    }
}

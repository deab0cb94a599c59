package io.ailurus.core.launcher;

import picocli.CommandLine.IVersionProvider;

/** What {@code --version} prints. */
public final class AilurusVersion implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"Ailurus " + VersionInfo.version(), "JVM: " + VersionInfo.jvm()};
    }
}

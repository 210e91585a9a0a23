package org.evault.protocol.client;

import org.evault.protocol.ErrorCode;

/** The daemon answered the request with an ERROR frame. */
public final class DaemonErrorException extends DaemonException {
    private static final long serialVersionUID = 1L;

    private final transient ErrorCode code;
    private final String daemonMessage;

    public DaemonErrorException(String daemon, ErrorCode code, String daemonMessage) {
        super(daemon + " answered " + code + ": " + daemonMessage);
        this.code = code;
        this.daemonMessage = daemonMessage;
    }

    public ErrorCode code() {
        return code;
    }

    /** The daemon's own words. */
    public String daemonMessage() {
        return daemonMessage;
    }
}

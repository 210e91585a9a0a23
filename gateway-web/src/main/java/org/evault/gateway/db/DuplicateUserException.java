package org.evault.gateway.db;

/** Registration with a user id that is taken. */
public final class DuplicateUserException extends Exception {
    private static final long serialVersionUID = 1L;

    public DuplicateUserException(String userId) {
        super("user id " + userId + " is taken");
    }
}

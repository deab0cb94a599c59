package io.ailurus.storage;

/**
 * A storage operation failed. The message says what happened and, where there is something to do
 * (free disk space, fix permissions), what to do. Unchecked so that it can travel through futures
 * and through callers' interfaces (such as jraft's LogStorage) that do not declare it.
 */
public class StorageException extends RuntimeException {
    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}

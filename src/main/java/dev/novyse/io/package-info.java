/**
 * Files only their owner may read or change ({@link dev.novyse.io.PrivateFiles}), whatever the umask: the one
 * helper of client and server for secrets, stores, caches and code the process loads.
 */
package dev.novyse.io;

/**
 * Files only their owner may read or change ({@link dev.novyse.io.PrivateFiles}), whatever the umask: the one
 * helper of client and server for secrets, stores, caches and code the process loads; and a file's size as a person
 * reads it ({@link dev.novyse.io.ByteSizes}), the same in the chat screen and the CLI.
 */
package dev.novyse.io;

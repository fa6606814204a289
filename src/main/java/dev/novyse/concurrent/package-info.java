/**
 * The one way background threads are made ({@link dev.novyse.concurrent.DaemonThreads}): named, daemon. Used by
 * client and server alike; depends on nothing of novyse.
 */
package dev.novyse.concurrent;

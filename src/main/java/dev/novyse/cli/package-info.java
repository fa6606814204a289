/**
 * The {@code novyse} command line (picocli): one class per command, the shared options and the one output writer
 * (text or JSON Lines), and {@link dev.novyse.cli.Failures}, which turns any failure into one line on stderr and a
 * documented exit code. The top layer: it may use every other package; nothing uses it.
 */
package dev.novyse.cli;

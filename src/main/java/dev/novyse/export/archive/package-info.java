/**
 * Whole-account archives ({@code novyse export --all}, {@code novyse import}): a header line, then every table as
 * JSON Lines, restored into an empty store so that syncing carries on from where the backup was made.
 */
package dev.novyse.export.archive;

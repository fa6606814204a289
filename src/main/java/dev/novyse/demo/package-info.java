/**
 * {@code novyse demo}'s workspace: the seeded chats ({@link dev.novyse.demo.DemoWorkspace}) and the simulated peer
 * that keeps talking ({@link dev.novyse.demo.DemoPeer}), both through the public API like any other client.
 */
package dev.novyse.demo;

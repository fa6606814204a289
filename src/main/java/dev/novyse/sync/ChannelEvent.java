package dev.novyse.sync;

import dev.novyse.protocol.Chat;
import dev.novyse.protocol.ChatEvent;
import dev.novyse.protocol.ProfileEvent;
import dev.novyse.protocol.UserEvent;
import dev.novyse.store.MessageView;

/**
 * What a {@link LiveChannel} tells its subscribers: every change after it committed, and how the channel is doing.
 * One sealed type, so a subscriber handles the cases it cares about ({@code instanceof}) and ignores the rest.
 * (The Socket.IO events the channel receives are {@link LiveEvent}s; these are what it made of them.)
 */
public sealed interface ChannelEvent {
    /** The channel's connection state changed (never repeated: each differs from the one before). */
    record StatusChanged(LiveChannel.Status status) implements ChannelEvent {
    }

    /** A new message in the store (read back from it: sender name, reactions and files included). */
    record MessageArrived(MessageView message, LiveChannel.Source source) implements ChannelEvent {
    }

    /** A chat the account now sees ({@code chat:new}). */
    record ChatAdded(Chat chat) implements ChannelEvent {
    }

    /** A live chat event that changed the store; its {@code id} is its {@code chatEventID}. */
    record ChatChanged(ChatEvent event) implements ChannelEvent {
    }

    /** A live profile change; its {@code id} is its {@code profileEventID}, the payload the changed fields. */
    record ProfileChanged(ProfileEvent event) implements ChannelEvent {
    }

    /** A live event of the account's own (pins, favourites, settings); its {@code id} is its {@code userEventID}. */
    record UserChanged(UserEvent event) implements ChannelEvent {
    }

    /**
     * A sync the channel ran. {@code baseline}: the first successful one after {@link LiveChannel#start()}, whose
     * messages are not reported one by one (a channel reports what changes after it caught up). Messages of later
     * syncs are reported as {@link MessageArrived}; their chat, profile and user events only as counts here.
     */
    record Synced(String reason, boolean baseline, SyncResult result) implements ChannelEvent {
    }

    /** Someone's activity in a chat (typing); never stored. */
    record Activity(String chatUUID, String userUUID, String action) implements ChannelEvent {
    }

    /** A contact came online or went offline; never stored. */
    record Presence(String userUUID, boolean online, String lastAccessAt) implements ChannelEvent {
    }

    /** Something went wrong and is being retried (a failed sync, a refused token); one line, for a status bar. */
    record Problem(String message) implements ChannelEvent {
    }

    /**
     * The channel stopped: {@code failure} is null after {@link LiveChannel#close()}, else why it gave up. The last
     * event of a channel, published once.
     */
    record Stopped(RuntimeException failure) implements ChannelEvent {
    }
}

package dev.novyse.tui;

import dev.novyse.protocol.User;
import dev.novyse.state.People;
import dev.novyse.state.ProfileFields;

import java.util.List;
import java.util.Map;

/**
 * {@code /profile}: your own profile, {@code /profile @mara} someone else's (the store's, else the server's), and
 * {@code /profile bio I like tea} changes a field of yours (name, surname, bio, color, birthday, handle; nothing
 * after the field clears it), checked as the CLI's {@code profile set} checks it ({@link ProfileFields}).
 */
final class ProfileDialog {
    static final String USAGE = "usage: /profile [@user] or /profile name|surname|bio|color|birthday|handle [TEXT]";

    private final UiModel m;
    private final ServerCalls calls;
    private final StoreReads reads;

    ProfileDialog(UiModel m, ServerCalls calls, StoreReads reads) {
        this.m = m;
        this.calls = calls;
        this.reads = reads;
    }

    /** The listed members' presence, asked of the server when {@code /members} opens (see {@link ServerCalls#presence}). */
    void askPresence(List<String> userUUIDs) {
        if (!userUUIDs.isEmpty()) calls.presence(userUUIDs);
    }

    /** Runs {@code /profile} with the words after it. */
    void run(List<String> args, String rest) {
        if (args.isEmpty()) {
            showUser(m.state.myUUID());
            return;
        }
        var field = args.get(0).startsWith("@") ? java.util.Optional.<String>empty() : ProfileFields.field(args.get(0));
        if (field.isEmpty()) {
            if (args.size() != 1) m.flash(USAGE, true);
            else show(args.get(0));
            return;
        }
        String value = rest.substring(args.get(0).length()).strip();
        String checked;
        try {
            checked = ProfileFields.checked(field.get(), value);
        } catch (IllegalArgumentException e) {
            m.flash(e.getMessage(), true);
            return;
        }
        String shown = field.get().equals("handle") ? "@" + checked : checked;
        calls.run(checked.isEmpty() ? "your " + field.get() + " cleared" : "your " + field.get() + " is now " + shown,
                a -> a.updateProfile(Map.of(ProfileFields.SERVER_NAMES.get(field.get()), checked)));
    }

    /** The profile of the person {@code wanted} names: the store's people first, else asked of the server. */
    void show(String wanted) {
        reads.findUsers(wanted, found -> {
            if (!found.isEmpty()) {
                open(found, wanted);
                return;
            }
            calls.ask(a -> a.findUsers(wanted), fromServer -> open(fromServer, wanted));
        });
    }

    /** The stored profile of {@code userUUID} (a member picked in {@code /members}). */
    void showUser(String userUUID) {
        if (userUUID == null) {
            m.flash("your profile is not in the store yet (it comes with the first sync)", true);
            return;
        }
        reads.user(userUUID, u -> {
            if (u.isEmpty()) m.flash("this person's profile is not in the store yet", true);
            else m.overlay = new UiModel.Profile(People.profileLines(u.get()));
        });
    }

    private void open(List<User> found, String wanted) {
        try {
            m.overlay = new UiModel.Profile(People.profileLines(People.one(found, wanted, "in the store or on the server")));
        } catch (People.NotOnePerson e) {
            m.flash(e.getMessage(), true);
        }
    }
}

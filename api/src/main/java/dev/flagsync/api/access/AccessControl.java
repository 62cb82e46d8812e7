package dev.flagsync.api.access;

import java.time.InstantSource;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * Decides who may do what. {@link #admit} runs before every request (authentication and rate
 * limits); the {@code require...} methods run in the handlers, which know the environment and
 * whether they serve raw flags or evaluations. Has no HTTP types, so it is tested alone.
 *
 * <p>A failed authentication is charged to the client address only where a token is required
 * (admin calls; reads in {@code token} mode). While an address has spent that budget, every
 * request of it that carries a credential gets 429 before its token is even looked at, so the
 * answer says nothing about the guess and guessing is slow.
 *
 * <p>A token this instance does not know may be one created a moment ago elsewhere: before it is
 * refused, {@code refreshTokens} makes sure PostgreSQL's token version was checked since the
 * request arrived ({@link TokenRefresher#refreshNow()}, which bounds how often that happens), and
 * the token is looked up again.
 */
public final class AccessControl {

    private final TokenRegistry registry;
    private final RateLimiter limiter;
    private final ClientAddresses addresses;
    private final ReadMode mode;
    private final InstantSource clock;
    private volatile Runnable refreshTokens = () -> { };

    public AccessControl(TokenRegistry registry, RateLimiter limiter, ClientAddresses addresses, ReadMode mode,
                         InstantSource clock) {
        this.registry = registry;
        this.limiter = limiter;
        this.addresses = addresses;
        this.mode = mode;
        this.clock = clock;
    }

    /** What to call before refusing an unknown token (e.g. {@link TokenRefresher#refreshNow()}). */
    public void refreshTokensWith(Runnable refresh) {
        this.refreshTokens = refresh;
    }

    public ReadMode mode() {
        return mode;
    }

    /** Authenticates and charges the request to its budget; throws 429 over a limit. */
    public Caller admit(String peer, String forwardedFor, String secret) {
        return admit(peer, forwardedFor, secret != null, () -> {
            Authentication authentication = registry.authenticate(secret, clock.instant());
            if (authentication.status() == Authentication.Status.INVALID && mayBeIssued(secret)) {
                refreshTokens.run();
                authentication = registry.authenticate(secret, clock.instant());
            }
            return authentication;
        });
    }

    /**
     * As {@link #admit(String, String, String)} for an event stream whose URL carries a
     * {@link StreamCredentials} credential for {@code environment} instead of a token.
     */
    public Caller admitStream(String peer, String forwardedFor, String credential, String environment) {
        return admit(peer, forwardedFor, credential != null,
                () -> StreamCredentials.verify(registry, credential, environment, clock.instant()));
    }

    /** The credential an event-stream URL for this token and environment carries; empty for a token no longer known. */
    public Optional<String> streamCredential(AccessToken token, String environment) {
        return registry.byId(token.id()).map(hashed -> StreamCredentials.issue(hashed, environment));
    }

    /** Whether a stream opened with this token (null: anonymously) may stay open: not revoked, not expired. */
    public boolean stillValid(AccessToken token) {
        return token == null || registry.byId(token.id()).filter(t -> !t.token().expired(clock.instant())).isPresent();
    }

    private Caller admit(String peer, String forwardedFor, boolean presented, Supplier<Authentication> authenticate) {
        String client = addresses.clientOf(peer, forwardedFor);
        String address = ClientAddresses.budgetKey(client);
        if (presented) {
            refuseIfOver(limiter.checkAuthAttempt(address));
        }
        Authentication authentication = authenticate.get();
        if (authentication.isValid()) {
            refuseIfOver(limiter.consume(RateLimiter.Kind.TOKEN, budgetKey(authentication.token(), address)));
        } else {
            refuseIfOver(limiter.consume(RateLimiter.Kind.ANONYMOUS, address));
        }
        return new Caller(address, authentication, client);
    }

    /**
     * Could this be a token {@code flagsync_create_token} issued ({@code <type>:<environments>.<random>})?
     * Only such a secret is worth a fresh look at PostgreSQL; the lookup itself stays by hash.
     */
    private static boolean mayBeIssued(String secret) {
        for (TokenType type : TokenType.values()) {
            if (secret.startsWith(type.wire() + ":")) {
                return true;
            }
        }
        return false;
    }

    /** A frontend token is shared by every browser of an app, so its budget is per token and address. */
    private static String budgetKey(AccessToken token, String address) {
        return token.type() == TokenType.FRONTEND ? token.id() + '|' + address : token.id();
    }

    private static void refuseIfOver(OptionalLong retryAfter) {
        if (retryAfter.isPresent()) {
            throw AccessException.rateLimited(retryAfter.getAsLong());
        }
    }

    /**
     * May the caller read this environment in this view? Returns the token, or null for an
     * anonymous read in {@code open} mode (where a credential that does not authenticate is
     * ignored, as before tokens were checked on reads).
     */
    public AccessToken requireRead(Caller caller, String environment, View view) {
        Authentication authentication = caller.authentication();
        if (!authentication.isValid()) {
            if (mode == ReadMode.OPEN) {
                return null;
            }
            throw refusal(caller);
        }
        AccessToken token = authentication.token();
        if (!token.type().mayRead(view)) {
            throw AccessException.forbidden("token '" + token.name() + "' is a frontend token: it gets evaluated answers"
                    + " only (OFREP), not raw flags of environment '" + environment + "'");
        }
        if (!token.covers(environment)) {
            throw AccessException.forbidden("token '" + token.name() + "' does not cover environment '" + environment + "'");
        }
        return token;
    }

    /**
     * As {@link #requireRead}, for Unleash SDKs, whose token also chooses the environment: a
     * credential that does not authenticate is refused in {@code open} mode too (401, or 503 while
     * tokens were never loaded), rather than read as anonymous, which would serve another
     * environment's flags.
     */
    public AccessToken requireSdkRead(Caller caller, String environment, View view) {
        if (caller.authentication().status() != Authentication.Status.NONE && !caller.authentication().isValid()) {
            throw refusal(caller);
        }
        return requireRead(caller, environment, view);
    }

    /** An admin token covering the environment, or every environment when {@code environment} is null. */
    public AccessToken requireAdmin(Caller caller, String environment) {
        Authentication authentication = caller.authentication();
        if (!authentication.isValid()) {
            throw refusal(caller);
        }
        AccessToken token = authentication.token();
        if (token.type() != TokenType.ADMIN) {
            throw AccessException.forbidden("token '" + token.name() + "' is a " + token.type().wire()
                    + " token; this needs an admin token");
        }
        if (environment == null ? !token.coversAll() : !token.covers(environment)) {
            throw AccessException.forbidden("admin token '" + token.name() + "' does not cover "
                    + (environment == null ? "every environment" : "environment '" + environment + "'"));
        }
        return token;
    }

    /** OFREP's environment: the header, else the token's only environment, else the default. */
    public String evaluationEnvironment(Caller caller, String header, String defaultEnvironment) {
        if (header != null && !header.isEmpty()) {
            return header;
        }
        Authentication authentication = caller.authentication();
        if (authentication.isValid()) {
            return authentication.token().soleEnvironment().orElse(defaultEnvironment);
        }
        return defaultEnvironment;
    }

    /** 401 (charged to the address when a credential failed), or 503 while tokens were never loaded. */
    private AccessException refusal(Caller caller) {
        return switch (caller.authentication().status()) {
            case UNAVAILABLE -> AccessException.tokensUnavailable();
            case INVALID -> {
                limiter.recordAuthFailure(caller.address());
                yield AccessException.unauthorized();
            }
            default -> AccessException.unauthorized();
        };
    }
}

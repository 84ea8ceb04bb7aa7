using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace GanDashboard.Storage.Access;

/// <summary>A refused access change, with a message for the person who asked (CLI output, dashboard snackbar).</summary>
public sealed class AccessException(string message) : Exception(message);

public sealed record UserView(string Id, string Name, string Role, bool LockedOut, int Keys);

public sealed record CreatedKey(string Id, string Key, string User, string Role, DateTime? ExpiresAt);

public sealed record ApiKeyView(
    string Id, string Name, string User, string Role, DateTime CreatedAt, DateTime? LastUsedAt, DateTime? ExpiresAt, bool Revoked);

/// <summary>
/// Users and API keys: what the CLI's <c>user</c>/<c>apikey</c> verbs and the dashboard's Access page do, one
/// implementation for both. Refuses to leave the store without an administrator (that would reopen first-run setup).
/// </summary>
public sealed class AccessAdmin(GanDashboardDb db, UserManager<IdentityUser> users, TimeProvider clock)
{
    public async Task<UserView> AddUserAsync(string name, string role, string password, CancellationToken ct = default)
    {
        string parsed = ParseRole(role);
        if (string.IsNullOrWhiteSpace(name)) throw new AccessException("The user name is empty.");
        if (string.IsNullOrEmpty(password)) throw new AccessException("The password is empty.");
        if (await users.FindByNameAsync(name) is not null) throw new AccessException($"A user named '{name}' already exists.");
        var user = new IdentityUser(name.Trim());
        Check(await users.CreateAsync(user, password));
        Check(await users.AddToRoleAsync(user, parsed));
        return new UserView(user.Id, user.UserName!, parsed, false, 0);
    }

    public async Task<IReadOnlyList<UserView>> ListUsersAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var rows = await db.Users.AsNoTracking().OrderBy(u => u.UserName)
            .Select(u => new
            {
                u.Id, u.UserName, u.LockoutEnd,
                Roles = db.UserRoles.Where(ur => ur.UserId == u.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name).ToList(),
                Keys = db.ApiKeys.Count(k => k.UserId == u.Id && k.RevokedAt == null),
            })
            .ToListAsync(ct);
        return rows.Select(u => new UserView(u.Id, u.UserName!, Roles.Highest(u.Roles) ?? "none", u.LockoutEnd > now, u.Keys)).ToList();
    }

    public async Task<UserView> SetRoleAsync(string name, string role, CancellationToken ct = default)
    {
        string parsed = ParseRole(role);
        var user = await FindAsync(name);
        var current = await users.GetRolesAsync(user);
        if (current.Contains(Roles.Admin) && parsed != Roles.Admin) await EnsureAnotherAdminAsync(user, ct);
        if (current.Count > 0) Check(await users.RemoveFromRolesAsync(user, current));
        Check(await users.AddToRoleAsync(user, parsed));
        return new UserView(user.Id, user.UserName!, parsed, false, 0);
    }

    /// <summary>Sets a new password and lifts a lockout: the way back in for a locked-out administrator.</summary>
    public async Task SetPasswordAsync(string name, string password, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(password)) throw new AccessException("The password is empty.");
        var user = await FindAsync(name);
        // Validate first, so a weak password leaves the old one in place.
        foreach (var validator in users.PasswordValidators) Check(await validator.ValidateAsync(users, user, password));
        if (await users.HasPasswordAsync(user)) Check(await users.RemovePasswordAsync(user));
        Check(await users.AddPasswordAsync(user, password));
        Check(await users.SetLockoutEndDateAsync(user, null));
        Check(await users.ResetAccessFailedCountAsync(user));
    }

    public async Task RemoveUserAsync(string name, CancellationToken ct = default)
    {
        var user = await FindAsync(name);
        if (await users.IsInRoleAsync(user, Roles.Admin)) await EnsureAnotherAdminAsync(user, ct);
        Check(await users.DeleteAsync(user));
    }

    public Task<bool> AdminExistsAsync(CancellationToken ct = default) => AccessQueries.AdminExistsAsync(db, ct);

    public async Task<CreatedKey> CreateKeyAsync(string userName, string? name, int? expiresDays, CancellationToken ct = default)
    {
        if (expiresDays is <= 0) throw new AccessException($"--expires must be a positive number of days, not {expiresDays}.");
        var user = await FindAsync(userName);
        string role = Roles.Highest(await users.GetRolesAsync(user)) ?? throw new AccessException($"User '{userName}' has no role.");
        var now = clock.GetUtcNow().UtcDateTime;
        var (id, key, hash) = ApiKeys.Create();
        var record = new ApiKeyRecord
        {
            Id = id, UserId = user.Id, Name = string.IsNullOrWhiteSpace(name) ? $"key {now:yyyy-MM-dd HH:mm}" : name.Trim(), SecretHash = hash,
            CreatedAt = now, ExpiresAt = expiresDays is int days ? now.AddDays(days) : null,
        };
        db.ApiKeys.Add(record);
        await db.SaveChangesAsync(ct);
        return new CreatedKey(id, key, user.UserName!, role, record.ExpiresAt);
    }

    /// <summary>Every key, or only <paramref name="userName"/>'s; newest first. Never the key itself.</summary>
    public async Task<IReadOnlyList<ApiKeyView>> ListKeysAsync(string? userName = null, CancellationToken ct = default)
    {
        var query = db.ApiKeys.AsNoTracking();
        if (userName is not null) query = query.Where(k => k.User!.UserName == userName);
        var rows = await query.OrderByDescending(k => k.CreatedAt)
            .Select(k => new
            {
                k.Id, k.Name, User = k.User!.UserName, k.CreatedAt, k.LastUsedAt, k.ExpiresAt, k.RevokedAt,
                Roles = db.UserRoles.Where(ur => ur.UserId == k.UserId).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name).ToList(),
            })
            .ToListAsync(ct);
        return rows.Select(k => new ApiKeyView(k.Id, k.Name, k.User!, Roles.Highest(k.Roles) ?? "none", k.CreatedAt, k.LastUsedAt, k.ExpiresAt, k.RevokedAt is not null)).ToList();
    }

    /// <summary>Revokes a key; with <paramref name="ownerName"/>, only when that user owns it (a non-admin revoking their own).</summary>
    public async Task RevokeKeyAsync(string id, string? ownerName = null, CancellationToken ct = default)
    {
        var key = await db.ApiKeys.Include(k => k.User).FirstOrDefaultAsync(k => k.Id == id, ct);
        if (key is null || (ownerName is not null && key.User?.UserName != ownerName)) throw new AccessException($"There is no API key '{id}'.");
        if (key.RevokedAt is not null) return;
        key.RevokedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
    }

    private async Task<IdentityUser> FindAsync(string name) =>
        await users.FindByNameAsync(name) ?? throw new AccessException($"There is no user '{name}'.");

    private async Task EnsureAnotherAdminAsync(IdentityUser user, CancellationToken ct)
    {
        var admins = await users.GetUsersInRoleAsync(Roles.Admin);
        if (admins.All(a => a.Id == user.Id))
            throw new AccessException($"'{user.UserName}' is the only administrator; make another user admin first.");
    }

    private static string ParseRole(string role) =>
        Roles.Parse(role) ?? throw new AccessException($"Unknown role '{role}': use {string.Join(", ", Roles.All)}.");

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded) throw new AccessException(string.Join(" ", result.Errors.Select(e => e.Description)));
    }
}

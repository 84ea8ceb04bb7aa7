using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace GanDashboard.Storage.Access;

/// <summary>Password rules and lockout, the same for the server's sign-in and the CLI's <c>user</c> verbs.</summary>
public static class AccessRules
{
    public const int MaxFailedSignIns = 5;
    public static readonly TimeSpan LockoutTime = TimeSpan.FromMinutes(15);

    public static void Configure(IdentityOptions o)
    {
        o.Password.RequiredLength = 10;
        o.Password.RequireDigit = true;
        o.Password.RequireLowercase = true;
        o.Password.RequireUppercase = false;
        o.Password.RequireNonAlphanumeric = false;
        o.Lockout.AllowedForNewUsers = true;
        o.Lockout.MaxFailedAccessAttempts = MaxFailedSignIns;
        o.Lockout.DefaultLockoutTimeSpan = LockoutTime;
        o.User.RequireUniqueEmail = false;
        o.User.AllowedUserNameCharacters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._@+";
    }

    /// <summary>Identity's user store and user manager over <see cref="GanDashboardDb"/>, plus <see cref="AccessAdmin"/> (scoped).</summary>
    public static IdentityBuilder AddAccessStore(this IServiceCollection services)
    {
        services.AddScoped<AccessAdmin>();
        services.AddSingleton(TimeProvider.System);
        return services.AddIdentityCore<IdentityUser>(Configure)
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<GanDashboardDb>();
    }
}

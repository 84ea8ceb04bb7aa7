using System.Xml.Linq;
using GanDashboard.Storage;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;

namespace GanDashboard.Web.Cluster;

/// <summary>
/// Keeps the Data Protection key ring in the shared database (table <c>data_protection_keys</c>), so every web node
/// protects and unprotects cookies and anti-forgery tokens with the same keys.
/// </summary>
public sealed class DatabaseXmlRepository(IDbContextFactory<GanDashboardDb> dbFactory) : IXmlRepository
{
    // IXmlRepository is synchronous; the key ring is read rarely (at start and when keys roll over).
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var db = dbFactory.CreateDbContext();
        return db.DataProtectionKeys.AsNoTracking().OrderBy(k => k.Id).Select(k => k.Xml).ToList().Select(XElement.Parse).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var db = dbFactory.CreateDbContext();
        db.DataProtectionKeys.Add(new DataProtectionKeyRecord { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
        db.SaveChanges();
    }
}

using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace GanDashboard.Core.Seeding;

/// <summary>
/// Default random seeds derived from the machine id, one per purpose: twenty machines with the same profile (a fleet of
/// identical pumps) get their own seed data, model and synthetic units, while the same machine with the same seed still
/// reproduces byte for byte. The seed actually used is recorded with every dataset and model.
/// </summary>
public static class MachineSeeds
{
    public const string SeedData = "seed-data";
    public const string Training = "training";
    public const string Generation = "generation";
    public const string Unseen = "unseen-runs";

    /// <summary>The first 8 bytes of SHA-256("{machineId}/{purpose}"), kept below 2^31 so it fits every seed field (int and long alike).</summary>
    public static ulong For(string machineId, string purpose)
    {
        ArgumentException.ThrowIfNullOrEmpty(machineId);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(machineId + "/" + purpose));
        return BinaryPrimitives.ReadUInt64LittleEndian(hash) & int.MaxValue;
    }
}

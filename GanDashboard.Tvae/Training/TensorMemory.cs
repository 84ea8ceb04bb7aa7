using System.Runtime.InteropServices;
using TorchSharp;

namespace GanDashboard.Tvae.Training;

/// <summary>
/// The address of a CPU float tensor's first element, so that C# loops can work on it in place. TorchSharp 0.107
/// keeps its storage pointer accessor internal; this calls the same native export it uses.
/// </summary>
internal static unsafe partial class TensorMemory
{
    public static float* Floats(torch.Tensor tensor)
    {
        if (tensor.device_type != DeviceType.CPU || tensor.dtype != torch.ScalarType.Float32)
            throw new ArgumentException("Only CPU float32 tensors can be read in place.", nameof(tensor));
        var data = StorageDataPointer(tensor.Handle);
        if (data == IntPtr.Zero) throw new InvalidOperationException("libtorch returned no storage for a tensor.");
        return (float*)data + tensor.storage_offset();
    }

    [LibraryImport("LibTorchSharp", EntryPoint = "THSStorage_data_ptr")]
    private static partial IntPtr StorageDataPointer(IntPtr tensor);
}

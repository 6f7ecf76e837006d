using System;
using System.IO;
using System.Linq;
using Eclairs.Keras;
using Xunit;

namespace Eclairs.Onnx.Tests;

/// <summary>
/// A real Keras 2.2.4 file that Debian ships: InVesalius' brain segmentation model (a 3-D U-Net), from the
/// installed package or from the .deb unpacked by .ci/run. Its configuration and weights are read, then it is
/// refused naming Conv3D. Figures checked against h5py's view of the same file (27 layers, 25 variables, 793,179 values).
/// </summary>
public class InvesaliusModelTests
{
    internal static readonly string? ModelPath = new[]
    {
        "/usr/share/invesalius/ai/brain_mri_t1/model.h5",
        "/var/cache/eclairs-invesalius/usr/share/invesalius/ai/brain_mri_t1/model.h5",
    }.FirstOrDefault(File.Exists);

    [InvesaliusFact]
    public void Its_configuration_and_weights_are_read()
    {
        KerasModelSummary summary = KerasImporter.Inspect(File.ReadAllBytes(ModelPath!));
        Assert.Equal("Keras 2 HDF5 (keras_version 2.2.4)", summary.Format);
        Assert.Equal("Model", summary.ModelClass);
        Assert.Equal(27, summary.Layers.Count);
        Assert.Equal(("img", "InputLayer"), summary.Layers[0]);
        Assert.Equal(("conv3d_1", "Conv3D"), summary.Layers[1]);
        Assert.Equal(25, summary.Tensors);
        Assert.Equal(793_179, summary.Parameters);
    }

    [InvesaliusFact]
    public void It_is_refused_naming_Conv3D()
    {
        KerasImportException e = Assert.Throws<KerasImportException>(() => KerasImporter.Import(File.ReadAllBytes(ModelPath!)));
        Assert.Equal(("Conv3D", "conv3d_1", 1), (e.ClassName, e.LayerName, e.LayerIndex));
        Assert.Contains("Conv3D layer in the engine", e.Needed, StringComparison.Ordinal);
    }
}

/// <summary>Skipped, with the reason, when neither the installed package nor the unpacked .deb holds model.h5.</summary>
public sealed class InvesaliusFactAttribute : FactAttribute
{
    public InvesaliusFactAttribute()
    {
        if (InvesaliusModelTests.ModelPath == null)
        {
            Skip = "InVesalius' model.h5 is missing: .ci/run unpacks it (apt-get download invesalius; dpkg-deb -x into /var/cache/eclairs-invesalius)";
        }
    }
}

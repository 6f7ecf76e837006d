using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Runtime.InteropServices;
using System.Threading.Tasks;
using Eclairs.Ground.Classifiers;
using Eclairs.Ground.Storage;
using Eclairs.Onboard.Native;
using Xunit;
using Xunit.Abstractions;

namespace Eclairs.Ground.Tests;

/// <summary>
/// The service classifies exactly as ecl_classify does: every stored answer against the C ABI's entry point
/// (ClassifierApi, the code under the export) and, when the NativeAOT library is built (tests/run.sh builds it in the
/// native stage; ECLAIRS_NATIVE_LIB or artifacts/native/linux-x64), against the real exported ecl_classify.
/// Float within 1e-6, int8 bit for bit.
/// </summary>
public sealed class EclClassifyParityTests
{
    private readonly ITestOutputHelper _out;

    public EclClassifyParityTests(ITestOutputHelper output) => _out = output;

    private delegate (float Probability, bool IsTrue) Reference(float[] snr, byte[] mask);

    private static unsafe Reference ManagedAbi(byte[] file)
    {
        void* model, context;
        fixed (byte* data = file)
        {
            Assert.Equal(EclStatus.Ok, ClassifierApi.ModelLoad(data, (nuint)file.Length, &model));
        }

        Assert.Equal(EclStatus.Ok, ClassifierApi.ContextCreate(model, &context));
        nint ctx = (nint)context;
        return (snr, mask) =>
        {
            EclResult r;
            fixed (float* s = snr)
            fixed (byte* m = mask)
            {
                Assert.Equal(EclStatus.Ok, ClassifierApi.Classify((void*)ctx, s, m, &r));
            }

            return (r.Probability, r.IsTrueAlert != 0);
        };
    }

    internal static string? NativeLibraryPath()
    {
        string? env = Environment.GetEnvironmentVariable("ECLAIRS_NATIVE_LIB");
        string built = Path.Combine(TestPaths.Root, "artifacts", "native", "linux-x64", "libeclairs_onboard.so");
        return env is { Length: > 0 } && File.Exists(env) ? env : File.Exists(built) ? built : null;
    }

    private static unsafe Reference NativeAbi(nint library, byte[] file)
    {
        var load = (delegate* unmanaged<byte*, nuint, void**, int>)NativeLibrary.GetExport(library, "ecl_model_load");
        var create = (delegate* unmanaged<void*, void**, int>)NativeLibrary.GetExport(library, "ecl_context_create");
        var classify = (delegate* unmanaged<void*, float*, byte*, EclResult*, int>)NativeLibrary.GetExport(library, "ecl_classify");
        void* model, context;
        fixed (byte* data = file)
        {
            Assert.Equal(0, load(data, (nuint)file.Length, &model));
        }

        Assert.Equal(0, create(model, &context));
        nint ctx = (nint)context;
        return (snr, mask) =>
        {
            EclResult r;
            fixed (float* s = snr)
            fixed (byte* m = mask)
            {
                Assert.Equal(0, classify((void*)ctx, s, m, &r));
            }

            return (r.Probability, r.IsTrueAlert != 0);
        };
    }

    [Fact]
    public async Task Every_stored_answer_equals_ecl_classify()
    {
        await using GroundTestServer server = await Shared.Sqlite();
        using var ingest = server.Client(server.IngestToken);
        var ids = new List<long>();
        for (int seed = 0; seed < 6; seed++)
        {
            (float[] snr, byte[] mask) = TestAlerts.Make(500 + seed, peak: 3 + (2.5 * seed), edge: seed % 2 == 0, knownSource: seed % 3 == 0);
            var (status, answer) = await GroundTestServer.PostJsonAsync(ingest, "/api/alerts", TestAlerts.Json(snr, mask));
            Assert.Equal(HttpStatusCode.Created, status);
            ids.Add(answer.GetProperty("id").GetInt64());
        }

        var (vhf, sequence) = await GroundTestServer.PostAsync(ingest, "/api/vhf", VhfIngestTests.Concat(VhfIngestTests.Sequence(77, 600)), "application/octet-stream");
        Assert.Equal(HttpStatusCode.Created, vhf);
        ids.Add(sequence.GetProperty("alerts")[0].GetProperty("id").GetInt64());

        string? native = NativeLibraryPath();
        nint library = native is null ? 0 : NativeLibrary.Load(native);
        _out.WriteLine(native is null ? "native library not built: compared with ClassifierApi only" : $"also compared with ecl_classify of {native}");
        int compared = 0;
        double worst = 0;
        foreach (string path in Directory.GetFiles(TestPaths.Weights, "*.eclw").Order(StringComparer.Ordinal))
        {
            byte[] file = File.ReadAllBytes(path);
            bool int8 = path.EndsWith(".int8.eclw", StringComparison.Ordinal);
            var references = new List<Reference> { ManagedAbi(file) };
            if (library != 0)
            {
                references.Add(NativeAbi(library, file));
            }

            foreach (long id in ids)
            {
                StoredAlert alert = server.Alerts.Get(id)!;
                Classification stored = alert.Classifications.Single(c => path.Contains(c.Model, StringComparison.Ordinal) && (c.NumberFormat == "int8") == int8);
                foreach (Reference reference in references)
                {
                    (float p, bool isTrue) = reference(alert.Snr, alert.Mask);
                    double delta = Math.Abs(p - stored.Probability);
                    worst = Math.Max(worst, delta);
                    Assert.True(int8 ? delta == 0 : delta <= 1e-6, $"{Path.GetFileName(path)} alert {id}: stored {stored.Probability}, ecl_classify {p}");
                    Assert.Equal(isTrue, stored.Decision);
                    compared++;
                }
            }
        }

        _out.WriteLine($"{compared} comparisons, largest |difference| {worst:E2}");
        Assert.True(compared >= 28);
    }
}

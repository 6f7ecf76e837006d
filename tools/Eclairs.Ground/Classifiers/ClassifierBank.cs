using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Eclairs.Onboard.Inference;

namespace Eclairs.Ground.Classifiers;

/// <summary>One model's answer on one alert, as stored (name and checksum say which model, for ever).</summary>
public sealed record Classification(string Model, string NumberFormat, uint Checksum, double Probability, double Logit, double Threshold, bool Decision);

/// <summary>
/// Every model the service classifies with (each .eclw of weights/ or --models), loaded once at start. Classification
/// is serialised: each model has one context, and a classification takes well under a millisecond.
/// </summary>
public sealed class ClassifierBank
{
    private readonly List<EngineModel> _models;
    private readonly object _gate = new();

    private ClassifierBank(List<EngineModel> models) => _models = models;

    public int Count => _models.Count;

    public IEnumerable<(string Name, string Format, uint Checksum, float Threshold)> Models =>
        _models.Select(m => (m.Name, m.FormatName, m.Checksum, m.Threshold));

    /// <summary>Loads every *.eclw of <paramref name="folder"/>, in file-name order.</summary>
    public static ClassifierBank LoadFolder(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"model folder {folder} does not exist");
        }

        string[] files = Directory.GetFiles(folder, "*.eclw").Order(StringComparer.Ordinal).ToArray();
        if (files.Length == 0)
        {
            throw new FileNotFoundException($"no .eclw model in {folder}");
        }

        return new ClassifierBank([.. files.Select(f => EngineModel.Load(File.ReadAllBytes(f)))]);
    }

    /// <summary>Runs every model on one validated alert (mask 0..3, finite SNR wherever the mask is not 0).</summary>
    public IReadOnlyList<Classification> Classify(float[] snr, byte[] mask)
    {
        var results = new List<Classification>(_models.Count);
        lock (_gate)
        {
            foreach (EngineModel m in _models)
            {
                (float p, float logit, bool isTrue) = m.Classify(snr, mask);
                results.Add(new Classification(m.Name, m.FormatName, m.Checksum, p, logit, m.Threshold, isTrue));
            }
        }

        return results;
    }

    /// <summary>
    /// Probability of the first float32 model with each patch of <paramref name="patch"/> x <paramref name="patch"/>
    /// pixels occluded (mask 0, SNR 0), minus the probability of the whole alert: positive where hiding the pixels
    /// lowers P(true). Side / patch values per axis, row-major.
    /// </summary>
    public (double[] Map, int Cells, string Model) Occlusion(float[] snr, byte[] mask, int side, int patch)
    {
        EngineModel model = _models.FirstOrDefault(m => m.Format != NumberFormat.Int8) ?? _models[0];
        int cells = (side + patch - 1) / patch;
        var map = new double[cells * cells];
        var s = (float[])snr.Clone();
        var k = (byte[])mask.Clone();
        lock (_gate)
        {
            double baseline = model.Classify(snr, mask).Probability;
            for (int cy = 0; cy < cells; cy++)
            {
                for (int cx = 0; cx < cells; cx++)
                {
                    Array.Copy(snr, s, snr.Length);
                    Array.Copy(mask, k, mask.Length);
                    for (int r = cy * patch; r < Math.Min(side, (cy + 1) * patch); r++)
                    {
                        for (int c = cx * patch; c < Math.Min(side, (cx + 1) * patch); c++)
                        {
                            s[(r * side) + c] = 0;
                            k[(r * side) + c] = 0;
                        }
                    }

                    map[(cy * cells) + cx] = baseline - model.Classify(s, k).Probability;
                }
            }
        }

        return (map, cells, model.Name);
    }
}

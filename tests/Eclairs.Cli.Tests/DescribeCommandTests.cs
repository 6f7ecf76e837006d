using System;
using System.IO;
using Eclairs.Onboard.Inference;
using Xunit;

namespace Eclairs.Cli.Tests;

/// <summary><c>eclairs describe --model</c> takes a file of either number format (it read int8 files with the float engine).</summary>
public sealed class DescribeCommandTests
{
    [Theory]
    [InlineData("eclairs-compact-v1")]
    [InlineData("eclairs-cnn-v1")]
    public void The_float_and_int8_files_of_a_shipped_model_report_the_architecture_s_parameter_count(string model)
    {
        long expected = Architectures.FromName(model.Replace("eclairs-", "", StringComparison.Ordinal))!.ParameterCount;
        foreach (string format in new[] { "f32", "int8" })
        {
            string path = Path.Combine(CliPaths.RepositoryRoot(), "weights", $"{model}.{format}.eclw");
            string output = EclairsProcess.Ok("describe", "--model", path, "--parameters-only");
            Assert.Equal(expected, long.Parse(output.Trim(), System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}

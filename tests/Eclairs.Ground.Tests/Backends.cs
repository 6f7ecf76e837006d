using System;
using System.Collections.Generic;
using System.Globalization;
using System.Reflection;
using Eclairs.Ground.Storage;
using Npgsql;
using Xunit;
using Xunit.Sdk;

namespace Eclairs.Ground.Tests;

/// <summary>The database a test runs on: the SQLite file, or a real PostgreSQL server.</summary>
public enum Backend
{
    Sqlite,
    Postgres,
}

/// <summary>
/// One row of a backend theory. The PostgreSQL row is skipped, saying why, when no server is given:
/// tests/run.sh starts a private one (tests/ground/postgres.sh) and sets ECLAIRS_TEST_POSTGRES.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class BackendAttribute : DataAttribute
{
    public BackendAttribute(Backend backend)
    {
        Backend = backend;
        if (backend == Backend.Postgres && TestDatabases.PostgresServer is null)
        {
            Skip = "no PostgreSQL server: ECLAIRS_TEST_POSTGRES is not set (tests/run.sh starts one when Debian's postgresql is installed)";
        }
    }

    public Backend Backend { get; }

    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[Backend]];
}

/// <summary>A fact that needs PostgreSQL (skipped with the reason when there is none).</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (TestDatabases.PostgresServer is null)
        {
            Skip = "no PostgreSQL server: ECLAIRS_TEST_POSTGRES is not set (tests/run.sh starts one when Debian's postgresql is installed)";
        }
    }
}

/// <summary>Fresh, empty databases for tests: a SQLite file in a new folder, or a new database on the PostgreSQL server.</summary>
public static class TestDatabases
{
    public static string? PostgresServer { get; } = Environment.GetEnvironmentVariable("ECLAIRS_TEST_POSTGRES") is { Length: > 0 } s ? s : null;

    /// <summary>A new PostgreSQL database; returns its connection string.</summary>
    public static string NewPostgresDatabase()
    {
        string name = "ground_" + Guid.NewGuid().ToString("N")[..12];
        using (var admin = new NpgsqlConnection(PostgresServer))
        {
            admin.Open();
            using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            create.ExecuteNonQuery();
        }

        return new NpgsqlConnectionStringBuilder(PostgresServer) { Database = name }.ConnectionString;
    }

    public static Database Open(Backend backend, string dataDir, out string? postgres)
    {
        postgres = backend == Backend.Postgres ? NewPostgresDatabase() : null;
        return Database.Open(dataDir, postgres);
    }

    public static string Describe(Backend backend) => backend.ToString().ToLower(CultureInfo.InvariantCulture);
}

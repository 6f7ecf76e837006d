using System;
using System.Collections.Generic;
using System.Data.Common;

namespace Eclairs.Ground.Storage;

/// <summary>Parameterised commands on either server (both take @name parameters).</summary>
internal static class Sql
{
    public static DbCommand Command(DbConnection connection, DbTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        DbCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = tx;
        foreach ((string name, object? value) in parameters)
        {
            DbParameter p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = value ?? DBNull.Value;
            command.Parameters.Add(p);
        }

        return command;
    }

    public static int Execute(DbConnection connection, DbTransaction? tx, string sql, params (string, object?)[] parameters)
    {
        using DbCommand command = Command(connection, tx, sql, parameters);
        return command.ExecuteNonQuery();
    }

    public static T? Scalar<T>(DbConnection connection, DbTransaction? tx, string sql, params (string, object?)[] parameters)
    {
        using DbCommand command = Command(connection, tx, sql, parameters);
        object? value = command.ExecuteScalar();
        if (value is null or DBNull)
        {
            return default;
        }

        Type target = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        return (T)Convert.ChangeType(value, target, System.Globalization.CultureInfo.InvariantCulture);
    }

    public static List<T> Rows<T>(DbConnection connection, DbTransaction? tx, string sql, Func<DbDataReader, T> map, params (string, object?)[] parameters)
    {
        using DbCommand command = Command(connection, tx, sql, parameters);
        using DbDataReader reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    public static long? Long(DbDataReader r, string column) => r[column] is DBNull ? null : Convert.ToInt64(r[column], System.Globalization.CultureInfo.InvariantCulture);

    public static double? Double(DbDataReader r, string column) => r[column] is DBNull ? null : Convert.ToDouble(r[column], System.Globalization.CultureInfo.InvariantCulture);

    public static string? Text(DbDataReader r, string column) => r[column] is DBNull ? null : (string)r[column];

    public static bool Flag(DbDataReader r, string column) => Long(r, column) is long v && v != 0;

    public static long NowMicroseconds() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;
}

using System;
using System.Security.Cryptography;
using System.Text;
using Eclairs.Ground.Security;
using Microsoft.AspNetCore.Identity;

namespace Eclairs.Ground.Storage;

/// <summary>
/// People (name, role, salted slow password hash: ASP.NET Core Identity's PasswordHasher, PBKDF2-HMAC-SHA512 with
/// 100,000 iterations and a 128-bit salt) and API tokens (32 random bytes shown once; only their SHA-256 is kept).
/// There is no default account and no default password.
/// </summary>
public sealed class AccountStore
{
    public const int MinimumPasswordLength = 10;

    private static readonly PasswordHasher<string> Hasher = new();

    private readonly Database _db;

    public AccountStore(Database db) => _db = db;

    public void AddUser(string name, string role, string password)
    {
        CheckName(name);
        if (!Roles.IsPersonRole(role))
        {
            throw new ArgumentException($"role '{role}' is not one of: {Roles.Advocate}, {Roles.Reader}");
        }

        if (password.Length < MinimumPasswordLength)
        {
            throw new ArgumentException($"the password must have at least {MinimumPasswordLength} characters");
        }

        string hash = Hasher.HashPassword(name, password);
        _db.Write((c, tx) =>
        {
            if (Sql.Scalar<long?>(c, tx, "SELECT id FROM users WHERE name = @n", ("n", name)) is not null)
            {
                throw new ArgumentException($"user '{name}' exists already");
            }

            return Sql.Execute(c, tx, "INSERT INTO users (name, role, password_hash, created_us) VALUES (@n, @r, @h, @t)",
                ("n", name), ("r", role), ("h", hash), ("t", Sql.NowMicroseconds()));
        });
    }

    /// <summary>The user's role when the password is right, else null (same work whether or not the user exists).</summary>
    public string? CheckPassword(string name, string password)
    {
        var row = _db.Read(c => Sql.Rows(c, null, "SELECT role, password_hash FROM users WHERE name = @n",
            r => (Role: Sql.Text(r, "role")!, Hash: Sql.Text(r, "password_hash")!), ("n", name)));
        if (row.Count == 0)
        {
            Hasher.VerifyHashedPassword(name, DummyHash, password);
            return null;
        }

        PasswordVerificationResult result = Hasher.VerifyHashedPassword(name, row[0].Hash, password);
        return result == PasswordVerificationResult.Failed ? null : row[0].Role;
    }

    public long UserCount() => _db.Read(c => Sql.Scalar<long>(c, null, "SELECT COUNT(*) FROM users"));

    /// <summary>Creates a token; returns it (the only time it exists in clear).</summary>
    public string AddToken(string name, string role)
    {
        CheckName(name);
        if (!Roles.IsTokenRole(role))
        {
            throw new ArgumentException($"role '{role}' is not one of: {Roles.Ingest}, {Roles.Reader}, {Roles.Advocate}");
        }

        string token = "ecl_" + Base64Url(RandomNumberGenerator.GetBytes(32));
        _db.Write((c, tx) => Sql.Execute(c, tx, "INSERT INTO tokens (name, role, token_hash, created_us) VALUES (@n, @r, @h, @t)",
            ("n", name), ("r", role), ("h", HashToken(token)), ("t", Sql.NowMicroseconds())));
        return token;
    }

    /// <summary>The token's name and role, or null for an unknown token.</summary>
    public (string Name, string Role)? FindToken(string token)
    {
        if (token.Length is < 8 or > 200)
        {
            return null;
        }

        var rows = _db.Read(c => Sql.Rows(c, null, "SELECT name, role FROM tokens WHERE token_hash = @h",
            r => (Sql.Text(r, "name")!, Sql.Text(r, "role")!), ("h", HashToken(token))));
        return rows.Count == 0 ? null : rows[0];
    }

    internal static string HashToken(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static readonly string DummyHash = Hasher.HashPassword("", "no such user: same work as a real check");

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static void CheckName(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 64 || name.Trim() != name)
        {
            throw new ArgumentException("a name has 1 to 64 characters and no surrounding spaces");
        }
    }
}

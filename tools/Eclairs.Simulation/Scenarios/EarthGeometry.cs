using System;

namespace Eclairs.Simulation.Scenarios;

/// <summary>Places the Earth so that its limb crosses a chosen sky direction.</summary>
internal static class EarthGeometry
{
    /// <summary>Angular radius of the Earth from SVOM's ~625 km orbit: asin(6371 / 6996).</summary>
    public const double AngularRadiusDeg = 65.6;

    /// <summary>
    /// Earth whose centre lies <paramref name="angleFromDirectionDeg"/> from the sky direction (tanY, tanZ),
    /// on the side of azimuth <paramref name="outwardAzimuthDeg"/> (so the disc comes from outside the field).
    /// </summary>
    public static EarthInView Around(double tanY, double tanZ, double angleFromDirectionDeg, double outwardAzimuthDeg,
        double limbWidthDeg, double limbRate, double cxbRate)
    {
        double norm = Math.Sqrt(tanY * tanY + tanZ * tanZ + 1);
        double dx = tanY / norm, dy = tanZ / norm, dz = 1 / norm;
        double phi = outwardAzimuthDeg * Math.PI / 180;

        // Unit vector perpendicular to d, towards the outward azimuth.
        double ax = Math.Cos(phi), ay = Math.Sin(phi), az = 0;
        double along = ax * dx + ay * dy + az * dz;
        double ux = ax - along * dx, uy = ay - along * dy, uz = az - along * dz;
        double un = Math.Sqrt(ux * ux + uy * uy + uz * uz);
        ux /= un;
        uy /= un;
        uz /= un;

        double alpha = angleFromDirectionDeg * Math.PI / 180;
        double ex = dx * Math.Cos(alpha) + ux * Math.Sin(alpha);
        double ey = dy * Math.Cos(alpha) + uy * Math.Sin(alpha);
        double ez = dz * Math.Cos(alpha) + uz * Math.Sin(alpha);
        double offAxis = Math.Acos(Math.Clamp(ez, -1, 1)) * 180 / Math.PI;
        double azimuth = Math.Atan2(ey, ex) * 180 / Math.PI;
        return new EarthInView(offAxis, azimuth, AngularRadiusDeg, limbWidthDeg, limbRate, cxbRate);
    }

    /// <summary>Detector counts/s of CXB per fully coded sky pixel: the coded ~75 % of the nominal
    /// background spread over the field's Σ partial coding (120² fully coded pixel equivalents).</summary>
    public static double CxbPerSkyPixel(ScenarioContext context, double backgroundPerPixel)
    {
        double sumCoding = 0;
        for (int i = 0; i < context.Sky.SkySide; i++)
        {
            sumCoding += context.Sky.CodingAlongAxis(i);
        }

        return 0.75 * backgroundPerPixel * context.DetectorSide * context.DetectorSide / (sumCoding * sumCoding);
    }
}

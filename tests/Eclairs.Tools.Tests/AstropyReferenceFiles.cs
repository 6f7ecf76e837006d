using System;
using System.IO;
using System.IO.Compression;

namespace Eclairs.Tools.Tests;

/// <summary>
/// A FITS file written by astropy 5.2.1 (Debian bookworm), gzip + base64 (11,520 bytes unpacked), so the reader is
/// checked against another implementation's output. Produced by:
/// <code>
/// p = fits.PrimaryHDU(np.array([[1.0, -2.5, 0.1, 3e38], [0, 1, 2, 3], [4, 5, 6, 7]], dtype='&gt;f4'))
/// p.header['OBJECT'] = ("O'Brien", 'a quote'); p.header['EXPOSURE'] = (1.5, '[s]'); p.header['COUNT'] = 42; p.header['FLAG'] = False
/// m = fits.ImageHDU(np.array([[0, 1], [2, 3]], dtype=np.uint8), name='MASK')
/// fits.HDUList([p, m]).writeto(b)
/// </code>
/// </summary>
internal static class AstropyReferenceFiles
{
    public static byte[] TwoImages
    {
        get
        {
            byte[] gz = Convert.FromBase64String(
                "H4sIAAAAAAACA+3YS07CUBQG4KobObOOfPAwcUKkYCFXpW1sSUiMg6tcCIO2eFsSGelS3II7YAG4B0euw1sfEWJbKCOj/5cUCCR/TnPuoPwu6zjnJlGNUni0TzdhMAilH1EcUot5LkUxD/pc9ilVg3kO66Xm7VbKKo9LyafU5zGneDoWtIJl9JhLGfMlecHEvxaSwsFX8sgXQTQKgyg7r5SRV6XC3vPKGXmV4nlmzzOtk8x9FGY3Ts2ml+Tptq435EgE+sLPah90Owljsf58ju12L8yU+Up7hyrvMroqMl/T7lpexn6r5eL32zo32pR1Xlob7CNZBgAAAMCC4wdNm5Gm1ebz53v+9KopyXd19V5XL/Xk86O6Zup60QAAAAAA/rWk7nSZbdVIZx2jbapH6uV+kvl8KEjcxR+t7qrn8Zz+mejol/fPG/Sduf3zBnnOZyGbmnewdL9jLrkvYiGjnLx2Xl5pKW8ow8k4Wt2PW0bHTPrsjuGe0Y/z8n1SAjUd+l0AAAD4c7St7R38iwAAAAAAWM8bMco+HAAtAAA=");
            using var gzip = new GZipStream(new MemoryStream(gz), CompressionMode.Decompress);
            using var raw = new MemoryStream();
            gzip.CopyTo(raw);
            return raw.ToArray();
        }
    }
}

using Amazon;
using Amazon.Runtime;
using Amazon.S3;

namespace Ingrain.Backends.S3;

/// <summary>
/// Builds the S3 client from options. Credentials always come from the SDK's default chain (environment,
/// shared profile, container or instance role); the SDK's own retries are off because the backend's
/// Polly pipeline and spool do the retrying.
/// </summary>
public static class S3ClientFactory
{
    public static IAmazonS3 Create(S3BackendOptions options)
    {
        var config = new AmazonS3Config
        {
            MaxErrorRetry = 0,
            Timeout = options.UploadTimeout,
            ForcePathStyle = options.ForcePathStyle,
        };
        if (options.Endpoint is not null)
        {
            config.ServiceURL = options.Endpoint.ToString();
            config.AuthenticationRegion = options.Region ?? "us-east-1";
            // S3-compatible stores often mishandle the SDK's default trailing checksums.
            config.RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED;
            config.ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED;
        }
        else if (options.Region is not null)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }
        return new AmazonS3Client(config);
    }
}

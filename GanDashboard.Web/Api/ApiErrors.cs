using GanDashboard.Core.Profiles;
using GanDashboard.Web.Machines;
using GanDashboard.Web.Tasks;

namespace GanDashboard.Web.Api;

/// <summary>
/// Maps the domain's exceptions to RFC 7807 problem details, once for the whole API: 400 bad input,
/// 404 unknown id, 409 workflow conflict, 413 too large, 422 invalid profile.
/// </summary>
public sealed class ApiErrorFilter(ILogger<ApiErrorFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (KeyNotFoundException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status404NotFound, title: "Not found");
        }
        catch (WorkflowException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status409Conflict, title: "Workflow conflict");
        }
        catch (ProfileRejectedException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status422UnprocessableEntity, title: "Invalid profile",
                extensions: new Dictionary<string, object?> { ["errors"] = e.Errors });
        }
        catch (GanDashboard.Web.Imports.ImportTooLargeException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status413PayloadTooLarge, title: "File too large");
        }
        catch (GanDashboard.Core.Import.ImportException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest, title: "The file cannot be imported",
                extensions: new Dictionary<string, object?> { ["problems"] = e.Problems });
        }
        catch (ProfileTooLargeException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status413PayloadTooLarge, title: "File too large");
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request too large");
        }
        catch (Exception e) when (e is ProfileFormatException or ArgumentException or InvalidDataException or GanDashboard.Core.Seeding.InvalidProfileException or System.Text.Json.JsonException or BadHttpRequestException)
        {
            logger.LogInformation("Bad request on {Path}: {Message}", context.HttpContext.Request.Path, e.Message);
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest, title: "Bad request");
        }
    }
}

/// <summary>An upload over the configured size limit.</summary>
public sealed class ProfileTooLargeException(string message) : Exception(message);

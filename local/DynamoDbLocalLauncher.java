import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Starts DynamoDB Local bound to 127.0.0.1 on a free port. The stock ServerRunner binds every
 * interface and rejects port 0, so this rebinds its Jetty connector before start-up and prints
 * the port the OS chose ("port=NNNNN") for the Node side to read.
 */
public final class DynamoDbLocalLauncher {
  public static void main(String[] args) throws Exception {
    String[] runnerArgs = new String[args.length + 2];
    System.arraycopy(args, 0, runnerArgs, 0, args.length);
    runnerArgs[args.length] = "-port";
    runnerArgs[args.length + 1] = "8000"; // placeholder: rebound below
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(runnerArgs);
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server jetty = (Server) field.get(proxy);
    for (Connector connector : jetty.getConnectors()) {
      ServerConnector serverConnector = (ServerConnector) connector;
      serverConnector.setHost("127.0.0.1");
      serverConnector.setPort(0);
    }
    proxy.start();
    System.out.println("port=" + ((ServerConnector) jetty.getConnectors()[0]).getLocalPort());
    System.out.flush();
    proxy.join();
  }
}
